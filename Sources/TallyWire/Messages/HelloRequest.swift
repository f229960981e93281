import CProtobufC
import CTallyProto

/// The first request on every connection: protocol version and API key.
public struct HelloRequest: Sendable, Equatable {
    /// The protocol version the client speaks; `WireProtocol.version` is 1.
    public var protocolVersion: UInt32
    /// The API key in clear text; empty when the server runs without keys.
    public var apiKey: String
    /// A free-form client name for the server's log, such as "tally-cli/1.0".
    public var clientName: String

    public init(
        protocolVersion: UInt32 = 0,
        apiKey: String = "",
        clientName: String = ""
    ) {
        self.protocolVersion = protocolVersion
        self.apiKey = apiKey
        self.clientName = clientName
    }
}

extension HelloRequest: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__HelloRequest>) throws(WireError) {
        let source = cMessage.pointee
        protocolVersion = source.protocol_version
        apiKey = try CCodec.string(source.api_key, message: "HelloRequest", field: "api_key")
        clientName = try CCodec.string(source.client_name, message: "HelloRequest", field: "client_name")
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__HelloRequest> {
        let target = arena.message(Tally__V1__HelloRequest.self, tally__v1__hello_request__init)
        target.pointee.protocol_version = protocolVersion
        target.pointee.api_key = arena.cString(apiKey)
        target.pointee.client_name = arena.cString(clientName)
        return target
    }
}

extension HelloRequest: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: HelloRequest.self, name: "HelloRequest",
            unpack: tally__v1__hello_request__unpack, initialize: tally__v1__hello_request__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__hello_request__get_packed_size, pack: tally__v1__hello_request__pack)
    }
}
