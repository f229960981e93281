/// Percentages, durations, shortened ids and padding for the views.
extension Formatting {
    /// `part` as a share of `whole` in tenths of a percent, rounded half up;
    /// nil when `whole` is zero.
    static func tenthsOfPercent(_ part: UInt64, of whole: UInt64) -> Int? {
        guard whole > 0 else { return nil }
        let scaled = Double(part) * 1000 / Double(whole)
        return Int(scaled.rounded(.toNearestOrAwayFromZero))
    }

    /// Tenths of a percent as `74.0%`.
    static func percent(tenths: Int) -> String {
        "\(tenths / 10).\(tenths % 10)%"
    }

    /// Returns the whole percentage of `part` in `whole`, rounded down so that 100%
    /// means the cap is really reached.
    static func wholePercent(_ part: UInt64, of whole: UInt64) -> String {
        guard whole > 0 else { return "-" }
        return "\(UInt64(Double(part) * 100 / Double(whole)))%"
    }

    /// Formats a span of milliseconds in its two largest units, such as
    /// `25 days 18 hours`, `3 hours 5 minutes` or `40 seconds`.
    static func duration(milliseconds: Int64) -> String {
        let seconds = max(milliseconds, 0) / 1000
        let units: [(size: Int64, name: String)] = [(86_400, "day"), (3_600, "hour"), (60, "minute"), (1, "second")]
        guard let first = units.firstIndex(where: { seconds >= $0.size }) else {
            return "less than a second"
        }
        func phrase(_ count: Int64, _ name: String) -> String {
            "\(count) \(name)\(count == 1 ? "" : "s")"
        }
        let major = seconds / units[first].size
        var text = phrase(major, units[first].name)
        if first + 1 < units.count {
            let minor = (seconds - major * units[first].size) / units[first + 1].size
            if minor > 0 { text += " " + phrase(minor, units[first + 1].name) }
        }
        return text
    }

    /// Milliseconds as seconds with one decimal, such as `2.5 s`.
    static func seconds(milliseconds: Int64) -> String {
        let tenths = max(milliseconds, 0) / 100
        return "\(tenths / 10).\(tenths % 10) s"
    }

    /// Formats the distance from `nowMs` to `targetMs`: `in 3 hours 5 minutes` or `2 days ago`.
    static func relative(_ targetMs: Int64, now nowMs: Int64) -> String {
        targetMs >= nowMs
            ? "in \(duration(milliseconds: targetMs - nowMs))"
            : "\(duration(milliseconds: nowMs - targetMs)) ago"
    }

    /// `text` cut to `limit` characters by replacing its middle with `…`, so
    /// that the distinctive start and end of an id stay visible.
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit, limit >= 3 else { return text }
        let kept = limit - 1
        let head = (kept + 1) / 2
        let tail = kept - head
        return String(text.prefix(head)) + "…" + String(text.suffix(tail))
    }

    /// `text` padded with spaces on the left to `width` characters.
    static func padLeft(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(width - text.count, 0)) + text
    }

    /// `text` padded with spaces on the right to `width` characters.
    static func padRight(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(width - text.count, 0))
    }
}
