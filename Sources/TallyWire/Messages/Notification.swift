import CProtobufC
import CTallyProto

/// A quota threshold that a record crossed.
public struct Notification: Sendable, Equatable {
    /// The resource whose usage crossed the threshold.
    public var resource: Resource
    /// The threshold as a percentage of the limit.
    public var thresholdPercent: UInt32
    /// Usage in the period right after the record that crossed the threshold.
    public var used: UInt64
    /// The resource's limit in the period.
    public var limit: UInt64
    /// Timestamp of the record that crossed the threshold.
    public var crossedAtMs: Int64
    /// Start of the billing period, Unix milliseconds.
    public var periodStartMs: Int64

    public init(
        resource: Resource = .unspecified,
        thresholdPercent: UInt32 = 0,
        used: UInt64 = 0,
        limit: UInt64 = 0,
        crossedAtMs: Int64 = 0,
        periodStartMs: Int64 = 0
    ) {
        self.resource = resource
        self.thresholdPercent = thresholdPercent
        self.used = used
        self.limit = limit
        self.crossedAtMs = crossedAtMs
        self.periodStartMs = periodStartMs
    }
}

extension Notification: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__Notification>) throws(WireError) {
        let source = cMessage.pointee
        resource = Resource(protoValue: Int32(bitPattern: source.resource.rawValue))
        thresholdPercent = source.threshold_percent
        used = source.used
        limit = source.limit
        crossedAtMs = source.crossed_at_ms
        periodStartMs = source.period_start_ms
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__Notification> {
        let target = arena.message(Tally__V1__Notification.self, tally__v1__notification__init)
        target.pointee.resource = Tally__V1__Resource(rawValue: UInt32(bitPattern: resource.protoValue))
        target.pointee.threshold_percent = thresholdPercent
        target.pointee.used = used
        target.pointee.limit = limit
        target.pointee.crossed_at_ms = crossedAtMs
        target.pointee.period_start_ms = periodStartMs
        return target
    }
}

extension Notification: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: Notification.self, name: "Notification",
            unpack: tally__v1__notification__unpack, initialize: tally__v1__notification__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__notification__get_packed_size, pack: tally__v1__notification__pack)
    }
}
