import CProtobufC
import CTallyProto

/// The server's limits, sent in `HelloResponse`.
public struct Limits: Sendable, Equatable {
    /// Maximum of a frame's length field, in bytes.
    public var maxFrameBytes: UInt32
    /// Maximum records in one RecordUsage request.
    public var maxBatchRecords: UInt32
    /// Maximum session id length in UTF-8 bytes.
    public var maxSessionIDBytes: UInt32
    /// Maximum event id length in UTF-8 bytes.
    public var maxEventIDBytes: UInt32
    /// Maximum ListRecords page size.
    public var maxPageSize: UInt32
    /// Maximum requests in flight on one connection.
    public var maxInFlight: UInt32
    /// Maximum session rows in a GetSummary reply.
    public var maxSummarySessions: UInt32

    public init(
        maxFrameBytes: UInt32 = 0,
        maxBatchRecords: UInt32 = 0,
        maxSessionIDBytes: UInt32 = 0,
        maxEventIDBytes: UInt32 = 0,
        maxPageSize: UInt32 = 0,
        maxInFlight: UInt32 = 0,
        maxSummarySessions: UInt32 = 0
    ) {
        self.maxFrameBytes = maxFrameBytes
        self.maxBatchRecords = maxBatchRecords
        self.maxSessionIDBytes = maxSessionIDBytes
        self.maxEventIDBytes = maxEventIDBytes
        self.maxPageSize = maxPageSize
        self.maxInFlight = maxInFlight
        self.maxSummarySessions = maxSummarySessions
    }
}

extension Limits: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__Limits>) throws(WireError) {
        let source = cMessage.pointee
        maxFrameBytes = source.max_frame_bytes
        maxBatchRecords = source.max_batch_records
        maxSessionIDBytes = source.max_session_id_bytes
        maxEventIDBytes = source.max_event_id_bytes
        maxPageSize = source.max_page_size
        maxInFlight = source.max_in_flight
        maxSummarySessions = source.max_summary_sessions
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__Limits> {
        let target = arena.message(Tally__V1__Limits.self, tally__v1__limits__init)
        target.pointee.max_frame_bytes = maxFrameBytes
        target.pointee.max_batch_records = maxBatchRecords
        target.pointee.max_session_id_bytes = maxSessionIDBytes
        target.pointee.max_event_id_bytes = maxEventIDBytes
        target.pointee.max_page_size = maxPageSize
        target.pointee.max_in_flight = maxInFlight
        target.pointee.max_summary_sessions = maxSummarySessions
        return target
    }
}

extension Limits: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: Limits.self, name: "Limits",
            unpack: tally__v1__limits__unpack, initialize: tally__v1__limits__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__limits__get_packed_size, pack: tally__v1__limits__pack)
    }
}
