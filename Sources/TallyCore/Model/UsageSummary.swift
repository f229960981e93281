/// Totals of one session within a summary's range.
public struct SessionTotals: Sendable, Equatable {
    public var sessionID: String
    public var inputTokens: UInt64
    public var outputTokens: UInt64
    public var totalTokens: UInt64
    public var records: UInt64

    public init(sessionID: String, inputTokens: UInt64, outputTokens: UInt64, totalTokens: UInt64, records: UInt64) {
        self.sessionID = sessionID
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.totalTokens = totalTokens
        self.records = records
    }
}

/// Usage totals of an account over a resolved range [startMs, endMs).
public struct UsageSummary: Sendable, Equatable {
    public var startMs: Int64
    public var endMs: Int64
    public var timeZone: String
    public var totalTokens: UInt64
    public var inputTokens: UInt64
    public var outputTokens: UInt64
    public var decisions: UInt64
    public var records: UInt64
    /// Distinct sessions with at least one record in the range.
    public var sessionsUsed: UInt64
    /// Per-session rows, by total tokens descending then session id ascending, capped at the request's maximum.
    public var sessions: [SessionTotals]

    public init(startMs: Int64, endMs: Int64, timeZone: String, totalTokens: UInt64, inputTokens: UInt64, outputTokens: UInt64, decisions: UInt64, records: UInt64, sessionsUsed: UInt64, sessions: [SessionTotals]) {
        self.startMs = startMs
        self.endMs = endMs
        self.timeZone = timeZone
        self.totalTokens = totalTokens
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.decisions = decisions
        self.records = records
        self.sessionsUsed = sessionsUsed
        self.sessions = sessions
    }
}
