import CProtobufC
import CTallyProto

/// The reply to `GetSummaryRequest`.
public struct GetSummaryResponse: Sendable, Equatable {
    /// Input plus output tokens in the range.
    public var totalTokens: UInt64
    /// Input tokens in the range.
    public var inputTokens: UInt64
    /// Output tokens in the range.
    public var outputTokens: UInt64
    /// Distinct sessions in the range.
    public var sessionsUsed: UInt64
    /// Largest total first, ties by session id.
    public var sessions: [SessionUsage]
    /// The resolved inclusive start, Unix milliseconds.
    public var startMs: Int64
    /// The resolved exclusive end, Unix milliseconds.
    public var endMs: Int64
    /// Number of records in the range.
    public var records: UInt64
    /// Policy decisions in the range.
    public var decisions: UInt64
    /// The time zone the range was resolved in.
    public var timeZone: String

    public init(
        totalTokens: UInt64 = 0,
        inputTokens: UInt64 = 0,
        outputTokens: UInt64 = 0,
        sessionsUsed: UInt64 = 0,
        sessions: [SessionUsage] = [],
        startMs: Int64 = 0,
        endMs: Int64 = 0,
        records: UInt64 = 0,
        decisions: UInt64 = 0,
        timeZone: String = ""
    ) {
        self.totalTokens = totalTokens
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.sessionsUsed = sessionsUsed
        self.sessions = sessions
        self.startMs = startMs
        self.endMs = endMs
        self.records = records
        self.decisions = decisions
        self.timeZone = timeZone
    }
}

extension GetSummaryResponse: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__GetSummaryResponse>) throws(WireError) {
        let source = cMessage.pointee
        totalTokens = source.total_tokens
        inputTokens = source.input_tokens
        outputTokens = source.output_tokens
        sessionsUsed = source.sessions_used
        sessions = try SessionUsage.decodeRepeated(source.sessions, count: source.n_sessions)
        startMs = source.start_ms
        endMs = source.end_ms
        records = source.records
        decisions = source.decisions
        timeZone = try CCodec.string(source.time_zone, message: "GetSummaryResponse", field: "time_zone")
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__GetSummaryResponse> {
        let target = arena.message(Tally__V1__GetSummaryResponse.self, tally__v1__get_summary_response__init)
        target.pointee.total_tokens = totalTokens
        target.pointee.input_tokens = inputTokens
        target.pointee.output_tokens = outputTokens
        target.pointee.sessions_used = sessionsUsed
        target.pointee.n_sessions = sessions.count
        target.pointee.sessions = arena.repeated(sessions)
        target.pointee.start_ms = startMs
        target.pointee.end_ms = endMs
        target.pointee.records = records
        target.pointee.decisions = decisions
        target.pointee.time_zone = arena.cString(timeZone)
        return target
    }
}

extension GetSummaryResponse: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: GetSummaryResponse.self, name: "GetSummaryResponse",
            unpack: tally__v1__get_summary_response__unpack, initialize: tally__v1__get_summary_response__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__get_summary_response__get_packed_size, pack: tally__v1__get_summary_response__pack)
    }
}
