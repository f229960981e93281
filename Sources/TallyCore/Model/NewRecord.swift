/// One usage record as a client submits it.
public struct NewRecord: Sendable, Equatable {
    /// Client-chosen id for deduplication; empty disables it.
    public var eventID: String = ""
    public var sessionID: String
    /// Unix milliseconds (UTC); 0 means the time the server received the record.
    public var timestampMs: Int64 = 0
    public var inputTokens: UInt64 = 0
    public var outputTokens: UInt64 = 0
    public var decisions: UInt64 = 0

    public init(eventID: String = "", sessionID: String, timestampMs: Int64 = 0, inputTokens: UInt64 = 0, outputTokens: UInt64 = 0, decisions: UInt64 = 0) {
        self.eventID = eventID
        self.sessionID = sessionID
        self.timestampMs = timestampMs
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.decisions = decisions
    }
}
