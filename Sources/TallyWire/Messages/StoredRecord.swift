import CProtobufC
import CTallyProto

/// A stored usage record as ListRecords returns it.
public struct StoredRecord: Sendable, Equatable {
    /// Unix milliseconds in UTC.
    public var timestampMs: Int64
    /// The session id.
    public var sessionID: String
    /// Input tokens.
    public var inputTokens: UInt64
    /// Output tokens.
    public var outputTokens: UInt64
    /// Input plus output tokens.
    public var totalTokens: UInt64
    /// Policy decisions.
    public var decisions: UInt64
    /// The client-chosen event id; may be empty.
    public var eventID: String

    public init(
        timestampMs: Int64 = 0,
        sessionID: String = "",
        inputTokens: UInt64 = 0,
        outputTokens: UInt64 = 0,
        totalTokens: UInt64 = 0,
        decisions: UInt64 = 0,
        eventID: String = ""
    ) {
        self.timestampMs = timestampMs
        self.sessionID = sessionID
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.totalTokens = totalTokens
        self.decisions = decisions
        self.eventID = eventID
    }
}

extension StoredRecord: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__StoredRecord>) throws(WireError) {
        let source = cMessage.pointee
        timestampMs = source.timestamp_ms
        sessionID = try CCodec.string(source.session_id, message: "StoredRecord", field: "session_id")
        inputTokens = source.input_tokens
        outputTokens = source.output_tokens
        totalTokens = source.total_tokens
        decisions = source.decisions
        eventID = try CCodec.string(source.event_id, message: "StoredRecord", field: "event_id")
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__StoredRecord> {
        let target = arena.message(Tally__V1__StoredRecord.self, tally__v1__stored_record__init)
        target.pointee.timestamp_ms = timestampMs
        target.pointee.session_id = arena.cString(sessionID)
        target.pointee.input_tokens = inputTokens
        target.pointee.output_tokens = outputTokens
        target.pointee.total_tokens = totalTokens
        target.pointee.decisions = decisions
        target.pointee.event_id = arena.cString(eventID)
        return target
    }
}

extension StoredRecord: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: StoredRecord.self, name: "StoredRecord",
            unpack: tally__v1__stored_record__unpack, initialize: tally__v1__stored_record__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__stored_record__get_packed_size, pack: tally__v1__stored_record__pack)
    }
}
