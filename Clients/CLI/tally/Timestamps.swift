import Foundation

/// Parsing and printing of ISO 8601 times for the CLI and CSV import.
enum Timestamps {
    /// Parses `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]]` with an
    /// optional `Z` or `±HH:MM` offset, to Unix milliseconds. The fraction is
    /// truncated to milliseconds. Text without an offset is read in `zone`.
    static func parse(_ text: String, zone: TimeZone) -> Int64? {
        let bytes = Array(text.utf8)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0, millisecond = 0
        if index < bytes.count && (bytes[index] == 84 || bytes[index] == 116 || bytes[index] == 32) {
            index += 1
            guard let h = digits(2), expect(58), let m = digits(2), h < 24, m < 60 else { return nil }
            hour = h
            minute = m
            if expect(58) {
                guard let s = digits(2), s < 60 else { return nil }
                second = s
                if expect(46) || expect(44) {
                    var scale = 100
                    var fractionDigits = 0
                    while index < bytes.count, (48...57).contains(bytes[index]) {
                        millisecond += Int(bytes[index] - 48) * scale
                        scale /= 10
                        index += 1
                        fractionDigits += 1
                    }
                    guard fractionDigits > 0 else { return nil }
                }
            }
        }
        var offsetSeconds: Int?
        if index < bytes.count {
            if expect(90) || expect(122) {
                offsetSeconds = 0
            } else if bytes[index] == 43 || bytes[index] == 45 {
                let sign = bytes[index] == 45 ? -1 : 1
                index += 1
                guard let oh = digits(2) else { return nil }
                _ = expect(58)
                let om = digits(2) ?? 0
                offsetSeconds = sign * (oh * 3600 + om * 60)
            }
            guard index == bytes.count else { return nil }
        }
        let localSeconds = Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400
            + Int64(hour * 3600 + minute * 60 + second)
        if let offsetSeconds {
            return (localSeconds - Int64(offsetSeconds)) * 1000 + Int64(millisecond)
        }
        if zone.identifier == "UTC" || zone.identifier == "GMT" {
            return localSeconds * 1000 + Int64(millisecond)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1000).rounded()) + Int64(millisecond)
    }

    /// Formats Unix milliseconds as `2023-11-16T18:15:00Z`.
    static func isoUTC(_ milliseconds: Int64, fractional: Bool = false) -> String {
        let seconds = floorDiv(milliseconds, 1000)
        let (year, month, day) = civilFromDays(Int(floorDiv(seconds, 86_400)))
        let secondOfDay = Int(seconds - floorDiv(seconds, 86_400) * 86_400)
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if fractional {
            text += "." + pad(Int(milliseconds - seconds * 1000), 3)
        }
        return text + "Z"
    }

    /// Formats Unix milliseconds as local wall time in `zone`, like `2026-12-04 20:15:03`.
    static func local(_ milliseconds: Int64, zone: TimeZone, withZone: Bool = false) -> String {
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(milliseconds) / 1000)))
        let shifted = isoUTC(milliseconds + offset * 1000)
        var text = String(shifted.dropLast()).replacingOccurrences(of: "T", with: " ")
        if withZone {
            text += " " + (zone.abbreviation(for: Date(timeIntervalSince1970: Double(milliseconds) / 1000)) ?? zone.identifier)
        }
        return text
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Parses a duration such as `30s`, `1m`, `5m`, `1h` to milliseconds.
    static func duration(_ text: String) -> Int64? {
        guard let unit = text.last, let number = Int64(text.dropLast()), number > 0 else { return nil }
        switch unit {
        case "s": return number * 1000
        case "m": return number * 60_000
        case "h": return number * 3_600_000
        case "d": return number * 86_400_000
        default: return nil
        }
    }
}
