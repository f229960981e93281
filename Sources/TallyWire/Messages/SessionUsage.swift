import CProtobufC
import CTallyProto

/// Usage totals of one session in a summary.
public struct SessionUsage: Sendable, Equatable {
    /// The session id.
    public var sessionID: String
    /// Input tokens.
    public var inputTokens: UInt64
    /// Output tokens.
    public var outputTokens: UInt64
    /// Input plus output tokens.
    public var totalTokens: UInt64
    /// Number of records.
    public var records: UInt64

    public init(
        sessionID: String = "",
        inputTokens: UInt64 = 0,
        outputTokens: UInt64 = 0,
        totalTokens: UInt64 = 0,
        records: UInt64 = 0
    ) {
        self.sessionID = sessionID
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.totalTokens = totalTokens
        self.records = records
    }
}

extension SessionUsage: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__SessionUsage>) throws(WireError) {
        let source = cMessage.pointee
        sessionID = try CCodec.string(source.session_id, message: "SessionUsage", field: "session_id")
        inputTokens = source.input_tokens
        outputTokens = source.output_tokens
        totalTokens = source.total_tokens
        records = source.records
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__SessionUsage> {
        let target = arena.message(Tally__V1__SessionUsage.self, tally__v1__session_usage__init)
        target.pointee.session_id = arena.cString(sessionID)
        target.pointee.input_tokens = inputTokens
        target.pointee.output_tokens = outputTokens
        target.pointee.total_tokens = totalTokens
        target.pointee.records = records
        return target
    }
}

extension SessionUsage: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: SessionUsage.self, name: "SessionUsage",
            unpack: tally__v1__session_usage__unpack, initialize: tally__v1__session_usage__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__session_usage__get_packed_size, pack: tally__v1__session_usage__pack)
    }
}
