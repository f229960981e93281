import Foundation
import TallyWire

/// `--range today|7d|30d|all` or `--from`/`--to`, as a protocol TimeRange.
enum RangeOptions {
    static func parse(_ arguments: inout Arguments, context: Context, defaultPreset: Preset) throws(CLIError) -> TimeRange {
        let rangeText = arguments.string("--range")
        let from = arguments.string("--from")
        let to = arguments.string("--to")
        if from != nil || to != nil {
            guard rangeText == nil else {
                throw .usage("pass either --range or --from/--to, not both")
            }
            guard let from, let to else {
                throw .usage("--from and --to go together; pass both, such as --from 2026-12-01 --to 2026-12-04")
            }
            let start = try time(from, option: "--from", zone: context.timeZone)
            let end = try time(to, option: "--to", zone: context.timeZone)
            guard end > start else {
                throw .usage("--to (\(to)) must be after --from (\(from))")
            }
            return TimeRange(preset: .unspecified, startMs: start, endMs: end, timeZone: context.timeZoneName)
        }
        let preset: Preset
        switch rangeText {
        case nil: preset = defaultPreset
        case "today": preset = .today
        case "7d": preset = .last7Days
        case "30d": preset = .last30Days
        case "all": preset = .allTime
        case let other?:
            throw .usage("--range must be today, 7d, 30d or all; got \"\(other)\"")
        }
        return TimeRange(preset: preset, startMs: 0, endMs: 0, timeZone: context.timeZoneName)
    }

    static func time(_ text: String, option: String, zone: TimeZone) throws(CLIError) -> Int64 {
        guard let milliseconds = Timestamps.parse(text, zone: zone) else {
            throw .usage("\(option): \"\(text)\" is not an ISO 8601 time such as 2026-12-04 or 2026-12-04T18:30:00Z")
        }
        return milliseconds
    }
}
