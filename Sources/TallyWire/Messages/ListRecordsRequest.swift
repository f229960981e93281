import CProtobufC
import CTallyProto

/// A request for one page of an account's records, newest first.
public struct ListRecordsRequest: Sendable, Equatable {
    /// Empty means the account of the connection's key.
    public var accountID: String
    /// `nil` means all time.
    public var range: TimeRange?
    /// Empty means every session.
    public var sessionID: String
    /// 0 means the server's default page size.
    public var pageSize: UInt32
    /// Empty for the first page, then the previous reply's `nextPageToken`.
    public var pageToken: String

    public init(
        accountID: String = "",
        range: TimeRange? = nil,
        sessionID: String = "",
        pageSize: UInt32 = 0,
        pageToken: String = ""
    ) {
        self.accountID = accountID
        self.range = range
        self.sessionID = sessionID
        self.pageSize = pageSize
        self.pageToken = pageToken
    }
}

extension ListRecordsRequest: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__ListRecordsRequest>) throws(WireError) {
        let source = cMessage.pointee
        accountID = try CCodec.string(source.account_id, message: "ListRecordsRequest", field: "account_id")
        if let nested = source.range {
            range = try TimeRange(cMessage: nested)
        } else {
            range = nil
        }
        sessionID = try CCodec.string(source.session_id, message: "ListRecordsRequest", field: "session_id")
        pageSize = source.page_size
        pageToken = try CCodec.string(source.page_token, message: "ListRecordsRequest", field: "page_token")
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__ListRecordsRequest> {
        let target = arena.message(Tally__V1__ListRecordsRequest.self, tally__v1__list_records_request__init)
        target.pointee.account_id = arena.cString(accountID)
        target.pointee.range = range?.makeCMessage(in: &arena)
        target.pointee.session_id = arena.cString(sessionID)
        target.pointee.page_size = pageSize
        target.pointee.page_token = arena.cString(pageToken)
        return target
    }
}

extension ListRecordsRequest: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: ListRecordsRequest.self, name: "ListRecordsRequest",
            unpack: tally__v1__list_records_request__unpack, initialize: tally__v1__list_records_request__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__list_records_request__get_packed_size, pack: tally__v1__list_records_request__pack)
    }
}
