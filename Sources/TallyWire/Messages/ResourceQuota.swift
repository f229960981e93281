import CProtobufC
import CTallyProto

/// Usage and limit of one resource in a billing period.
public struct ResourceQuota: Sendable, Equatable {
    /// The resource.
    public var resource: Resource
    /// Usage in the period.
    public var used: UInt64
    /// The cap; 0 with `unlimited` set means no cap.
    public var limit: UInt64
    /// Limit minus usage, at least 0.
    public var remaining: UInt64
    /// True when usage has reached the limit.
    public var exhausted: Bool
    /// True when the plan sets no cap for this resource.
    public var unlimited: Bool

    public init(
        resource: Resource = .unspecified,
        used: UInt64 = 0,
        limit: UInt64 = 0,
        remaining: UInt64 = 0,
        exhausted: Bool = false,
        unlimited: Bool = false
    ) {
        self.resource = resource
        self.used = used
        self.limit = limit
        self.remaining = remaining
        self.exhausted = exhausted
        self.unlimited = unlimited
    }
}

extension ResourceQuota: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__ResourceQuota>) throws(WireError) {
        let source = cMessage.pointee
        resource = Resource(protoValue: Int32(bitPattern: source.resource.rawValue))
        used = source.used
        limit = source.limit
        remaining = source.remaining
        exhausted = CCodec.bool(source.exhausted)
        unlimited = CCodec.bool(source.unlimited)
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__ResourceQuota> {
        let target = arena.message(Tally__V1__ResourceQuota.self, tally__v1__resource_quota__init)
        target.pointee.resource = Tally__V1__Resource(rawValue: UInt32(bitPattern: resource.protoValue))
        target.pointee.used = used
        target.pointee.limit = limit
        target.pointee.remaining = remaining
        target.pointee.exhausted = CCodec.cBool(exhausted)
        target.pointee.unlimited = CCodec.cBool(unlimited)
        return target
    }
}

extension ResourceQuota: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: ResourceQuota.self, name: "ResourceQuota",
            unpack: tally__v1__resource_quota__unpack, initialize: tally__v1__resource_quota__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__resource_quota__get_packed_size, pack: tally__v1__resource_quota__pack)
    }
}
