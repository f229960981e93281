import Foundation

/// The current time for "how long until" figures. `TALLY_TEST_NOW_MS` fixes it
/// to a Unix time in milliseconds, as tallyd does, so that tests see stable output.
enum Clock {
    static func nowMs(environment: [String: String]) -> Int64 {
        if let text = environment["TALLY_TEST_NOW_MS"], let fixed = Int64(text) {
            return fixed
        }
        return Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// True when the clock is fixed for tests, so that elapsed times read as zero.
    static func isFixed(environment: [String: String]) -> Bool {
        environment["TALLY_TEST_NOW_MS"].flatMap { Int64($0) } != nil
    }
}
