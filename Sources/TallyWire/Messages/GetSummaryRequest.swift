import CProtobufC
import CTallyProto

/// A request for an account's usage totals in a range.
public struct GetSummaryRequest: Sendable, Equatable {
    /// Empty means the account of the connection's key.
    public var accountID: String
    /// `nil` means all time.
    public var range: TimeRange?
    /// Maximum session rows returned; 0 means the server's maximum.
    public var maxSessions: UInt32

    public init(
        accountID: String = "",
        range: TimeRange? = nil,
        maxSessions: UInt32 = 0
    ) {
        self.accountID = accountID
        self.range = range
        self.maxSessions = maxSessions
    }
}

extension GetSummaryRequest: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__GetSummaryRequest>) throws(WireError) {
        let source = cMessage.pointee
        accountID = try CCodec.string(source.account_id, message: "GetSummaryRequest", field: "account_id")
        if let nested = source.range {
            range = try TimeRange(cMessage: nested)
        } else {
            range = nil
        }
        maxSessions = source.max_sessions
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__GetSummaryRequest> {
        let target = arena.message(Tally__V1__GetSummaryRequest.self, tally__v1__get_summary_request__init)
        target.pointee.account_id = arena.cString(accountID)
        target.pointee.range = range?.makeCMessage(in: &arena)
        target.pointee.max_sessions = maxSessions
        return target
    }
}

extension GetSummaryRequest: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: GetSummaryRequest.self, name: "GetSummaryRequest",
            unpack: tally__v1__get_summary_request__unpack, initialize: tally__v1__get_summary_request__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__get_summary_request__get_packed_size, pack: tally__v1__get_summary_request__pack)
    }
}
