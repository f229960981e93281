import Foundation

/// Calendar helpers working in Unix milliseconds.
enum TimeMath {
    static func date(ms: Int64) -> Date {
        Date(timeIntervalSince1970: Double(ms) / 1000)
    }

    static func ms(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// Returns a Gregorian calendar in `zone`.
    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// Returns the calendar month containing `ms` as [start, end) in milliseconds.
    static func month(containing ms: Int64, calendar: Calendar) -> (start: Int64, end: Int64) {
        guard let interval = calendar.dateInterval(of: .month, for: date(ms: ms)) else {
            return (ms, ms + 1)
        }
        return (Self.ms(interval.start), Self.ms(interval.end))
    }

    /// Formats `ms` as ISO 8601 local time in the calendar's zone, with `Z` for a zero offset.
    static func iso8601(ms: Int64, calendar: Calendar) -> String {
        let date = date(ms: ms)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        var text = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d",
            parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0
        )
        let offset = calendar.timeZone.secondsFromGMT(for: date)
        if offset == 0 {
            text += "Z"
        } else {
            let sign = offset < 0 ? "-" : "+"
            let minutes = abs(offset) / 60
            text += String(format: "%@%02d:%02d", sign, minutes / 60, minutes % 60)
        }
        return text
    }

    /// Formats an integer with comma thousands separators, e.g. 500,000.
    static func grouped(_ value: UInt64) -> String {
        let digits = String(value)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 {
                result.append(",")
            }
            result.append(character)
        }
        return result
    }
}
