import CProtobufC
import CTallyProto

/// The reply to `HelloRequest`: the key's identity and the server's limits.
public struct HelloResponse: Sendable, Equatable {
    /// The protocol version the server speaks.
    public var protocolVersion: UInt32
    /// The server's software version.
    public var serverVersion: String
    /// The key's own account; empty for service and admin keys.
    public var accountID: String
    /// The key's role.
    public var role: Role
    /// The server's limits.
    public var limits: Limits?

    public init(
        protocolVersion: UInt32 = 0,
        serverVersion: String = "",
        accountID: String = "",
        role: Role = .unspecified,
        limits: Limits? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.serverVersion = serverVersion
        self.accountID = accountID
        self.role = role
        self.limits = limits
    }
}

extension HelloResponse: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__HelloResponse>) throws(WireError) {
        let source = cMessage.pointee
        protocolVersion = source.protocol_version
        serverVersion = try CCodec.string(source.server_version, message: "HelloResponse", field: "server_version")
        accountID = try CCodec.string(source.account_id, message: "HelloResponse", field: "account_id")
        role = Role(protoValue: Int32(bitPattern: source.role.rawValue))
        if let nested = source.limits {
            limits = try Limits(cMessage: nested)
        } else {
            limits = nil
        }
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__HelloResponse> {
        let target = arena.message(Tally__V1__HelloResponse.self, tally__v1__hello_response__init)
        target.pointee.protocol_version = protocolVersion
        target.pointee.server_version = arena.cString(serverVersion)
        target.pointee.account_id = arena.cString(accountID)
        target.pointee.role = Tally__V1__Role(rawValue: UInt32(bitPattern: role.protoValue))
        target.pointee.limits = limits?.makeCMessage(in: &arena)
        return target
    }
}

extension HelloResponse: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: HelloResponse.self, name: "HelloResponse",
            unpack: tally__v1__hello_response__unpack, initialize: tally__v1__hello_response__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__hello_response__get_packed_size, pack: tally__v1__hello_response__pack)
    }
}
