/// A per-second allowance of warnings about single connections, so that a
/// flood of bad connections cannot flood the log.
///
/// Each event loop has its own budget. Warnings over the allowance are
/// counted, and the count is logged once the next second begins.
struct WarningBudget {
    /// Warnings logged per second; the rest are counted.
    let perSecond: Int
    private var windowStartMs: Int64 = .min
    private var logged = 0
    private var suppressed = 0

    init(perSecond: Int) {
        self.perSecond = perSecond
    }

    /// Returns whether a warning at `nowMs` may be logged, and how many
    /// warnings of an earlier second were suppressed and not yet reported.
    mutating func spend(nowMs: Int64) -> (allowed: Bool, suppressedEarlier: Int) {
        let earlier = closeWindowIfOver(nowMs: nowMs)
        guard logged < perSecond else {
            suppressed += 1
            return (false, earlier)
        }
        logged += 1
        return (true, earlier)
    }

    /// Returns how many warnings of an ended second were suppressed and not yet reported.
    mutating func takeSuppressed(nowMs: Int64) -> Int {
        closeWindowIfOver(nowMs: nowMs)
    }

    private mutating func closeWindowIfOver(nowMs: Int64) -> Int {
        guard windowStartMs == .min || nowMs - windowStartMs >= 1_000 else { return 0 }
        let count = suppressed
        windowStartMs = nowMs
        logged = 0
        suppressed = 0
        return count
    }
}
