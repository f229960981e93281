/// A stored usage record as queries return it.
public struct StoredUsage: Sendable, Equatable {
    public var timestampMs: Int64
    public var sessionID: String
    public var inputTokens: UInt64
    public var outputTokens: UInt64
    public var decisions: UInt64
    public var eventID: String

    public var totalTokens: UInt64 { inputTokens + outputTokens }

    public init(timestampMs: Int64, sessionID: String, inputTokens: UInt64, outputTokens: UInt64, decisions: UInt64, eventID: String) {
        self.timestampMs = timestampMs
        self.sessionID = sessionID
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.decisions = decisions
        self.eventID = eventID
    }
}
