import CProtobufC
import CTallyProto

/// One usage event in a RecordUsage request.
public struct UsageRecord: Sendable, Equatable {
    /// Client-chosen id; a repeated non-empty id is stored once.
    public var eventID: String
    /// The session the usage belongs to.
    public var sessionID: String
    /// Unix milliseconds in UTC; 0 means the time the server received it.
    public var timestampMs: Int64
    /// Input tokens.
    public var inputTokens: UInt64
    /// Output tokens.
    public var outputTokens: UInt64
    /// Policy decisions.
    public var decisions: UInt64

    public init(
        eventID: String = "",
        sessionID: String = "",
        timestampMs: Int64 = 0,
        inputTokens: UInt64 = 0,
        outputTokens: UInt64 = 0,
        decisions: UInt64 = 0
    ) {
        self.eventID = eventID
        self.sessionID = sessionID
        self.timestampMs = timestampMs
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.decisions = decisions
    }
}

extension UsageRecord: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__UsageRecord>) throws(WireError) {
        let source = cMessage.pointee
        eventID = try CCodec.string(source.event_id, message: "UsageRecord", field: "event_id")
        sessionID = try CCodec.string(source.session_id, message: "UsageRecord", field: "session_id")
        timestampMs = source.timestamp_ms
        inputTokens = source.input_tokens
        outputTokens = source.output_tokens
        decisions = source.decisions
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__UsageRecord> {
        let target = arena.message(Tally__V1__UsageRecord.self, tally__v1__usage_record__init)
        target.pointee.event_id = arena.cString(eventID)
        target.pointee.session_id = arena.cString(sessionID)
        target.pointee.timestamp_ms = timestampMs
        target.pointee.input_tokens = inputTokens
        target.pointee.output_tokens = outputTokens
        target.pointee.decisions = decisions
        return target
    }
}

extension UsageRecord: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: UsageRecord.self, name: "UsageRecord",
            unpack: tally__v1__usage_record__unpack, initialize: tally__v1__usage_record__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__usage_record__get_packed_size, pack: tally__v1__usage_record__pack)
    }
}
