import CProtobufC
import CTallyProto

/// The outcome of one record of a RecordUsage request.
public struct RecordResult: Sendable, Equatable {
    /// `.ok` when the record was stored or was a duplicate.
    public var status: StatusCode
    /// The error message when `status` is not `.ok`.
    public var message: String
    /// True when the event id was already stored with the same content.
    public var duplicate: Bool
    /// Notifications that this record fired.
    public var notifications: [Notification]
    /// The stored timestamp, resolved when the request sent 0.
    public var timestampMs: Int64

    public init(
        status: StatusCode = .ok,
        message: String = "",
        duplicate: Bool = false,
        notifications: [Notification] = [],
        timestampMs: Int64 = 0
    ) {
        self.status = status
        self.message = message
        self.duplicate = duplicate
        self.notifications = notifications
        self.timestampMs = timestampMs
    }
}

extension RecordResult: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__RecordResult>) throws(WireError) {
        let source = cMessage.pointee
        status = StatusCode(protoValue: Int32(bitPattern: source.status.rawValue))
        message = try CCodec.string(source.message, message: "RecordResult", field: "message")
        duplicate = CCodec.bool(source.duplicate)
        notifications = try Notification.decodeRepeated(source.notifications, count: source.n_notifications)
        timestampMs = source.timestamp_ms
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__RecordResult> {
        let target = arena.message(Tally__V1__RecordResult.self, tally__v1__record_result__init)
        target.pointee.status = Tally__V1__Code(rawValue: UInt32(bitPattern: status.protoValue))
        target.pointee.message = arena.cString(message)
        target.pointee.duplicate = CCodec.cBool(duplicate)
        target.pointee.n_notifications = notifications.count
        target.pointee.notifications = arena.repeated(notifications)
        target.pointee.timestamp_ms = timestampMs
        return target
    }
}

extension RecordResult: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: RecordResult.self, name: "RecordResult",
            unpack: tally__v1__record_result__unpack, initialize: tally__v1__record_result__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__record_result__get_packed_size, pack: tally__v1__record_result__pack)
    }
}
