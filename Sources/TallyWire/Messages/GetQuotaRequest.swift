import CProtobufC
import CTallyProto

/// A request for an account's quota usage in a billing period.
public struct GetQuotaRequest: Sendable, Equatable {
    /// Empty means the account of the connection's key.
    public var accountID: String
    /// When set, the reply reports whether this session may act now.
    public var sessionID: String
    /// A time inside the billing period to report; 0 means now.
    public var atMs: Int64

    public init(
        accountID: String = "",
        sessionID: String = "",
        atMs: Int64 = 0
    ) {
        self.accountID = accountID
        self.sessionID = sessionID
        self.atMs = atMs
    }
}

extension GetQuotaRequest: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__GetQuotaRequest>) throws(WireError) {
        let source = cMessage.pointee
        accountID = try CCodec.string(source.account_id, message: "GetQuotaRequest", field: "account_id")
        sessionID = try CCodec.string(source.session_id, message: "GetQuotaRequest", field: "session_id")
        atMs = source.at_ms
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__GetQuotaRequest> {
        let target = arena.message(Tally__V1__GetQuotaRequest.self, tally__v1__get_quota_request__init)
        target.pointee.account_id = arena.cString(accountID)
        target.pointee.session_id = arena.cString(sessionID)
        target.pointee.at_ms = atMs
        return target
    }
}

extension GetQuotaRequest: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: GetQuotaRequest.self, name: "GetQuotaRequest",
            unpack: tally__v1__get_quota_request__unpack, initialize: tally__v1__get_quota_request__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__get_quota_request__get_packed_size, pack: tally__v1__get_quota_request__pack)
    }
}
