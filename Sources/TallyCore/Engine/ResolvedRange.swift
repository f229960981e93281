import Foundation

/// A range query resolved to milliseconds: [startMs, endMs).
struct ResolvedRange: Equatable {
    var startMs: Int64
    var endMs: Int64
    var timeZone: String
    var isAllTime: Bool

    /// Resolves `query` at `nowMs`; presets use local midnights in the query's zone.
    init(_ query: RangeQuery, nowMs: Int64) throws(MeteringError) {
        let zoneName = query.timeZone.isEmpty ? "UTC" : query.timeZone
        guard zoneName.utf8.count <= Limits.maxTimeZoneBytes, let zone = TimeZone(identifier: zoneName) else {
            throw .invalidArgument("range.time_zone: unknown time zone \"\(query.timeZone)\"; use an IANA name such as Europe/Berlin")
        }
        timeZone = zoneName
        isAllTime = false
        guard let preset = query.preset else {
            if query.startMs < 0 {
                throw .invalidArgument("range.start_ms: \(query.startMs) is negative; explicit bounds are Unix milliseconds from 0")
            }
            if query.endMs <= query.startMs {
                throw .invalidArgument("range.end_ms: \(query.endMs) is not after range.start_ms \(query.startMs)")
            }
            startMs = query.startMs
            endMs = query.endMs
            return
        }
        let calendar = TimeMath.calendar(zone)
        let today = calendar.startOfDay(for: TimeMath.date(ms: nowMs))
        // A record at exactly nowMs belongs to the range, so the end is one past it.
        endMs = nowMs == Int64.max ? nowMs : nowMs + 1
        switch preset {
        case .today:
            startMs = TimeMath.ms(today)
        case .last7Days:
            startMs = Self.midnight(daysBefore: 6, today: today, calendar: calendar)
        case .last30Days:
            startMs = Self.midnight(daysBefore: 29, today: today, calendar: calendar)
        case .allTime:
            startMs = 0
            endMs = Int64.max
            isAllTime = true
        }
    }

    /// Returns local midnight `days` calendar days before `today`; calendar arithmetic keeps 23- and 25-hour days correct.
    private static func midnight(daysBefore days: Int, today: Date, calendar: Calendar) -> Int64 {
        let shifted = calendar.date(byAdding: .day, value: -days, to: today) ?? today
        return TimeMath.ms(calendar.startOfDay(for: shifted))
    }
}
