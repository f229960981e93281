import CProtobufC
import CTallyProto

/// A batch of usage records for one account.
public struct RecordUsageRequest: Sendable, Equatable {
    /// Empty means the account of the connection's key.
    public var accountID: String
    /// The records, stored in this order.
    public var records: [UsageRecord]

    public init(
        accountID: String = "",
        records: [UsageRecord] = []
    ) {
        self.accountID = accountID
        self.records = records
    }
}

extension RecordUsageRequest: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__RecordUsageRequest>) throws(WireError) {
        let source = cMessage.pointee
        accountID = try CCodec.string(source.account_id, message: "RecordUsageRequest", field: "account_id")
        records = try UsageRecord.decodeRepeated(source.records, count: source.n_records)
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__RecordUsageRequest> {
        let target = arena.message(Tally__V1__RecordUsageRequest.self, tally__v1__record_usage_request__init)
        target.pointee.account_id = arena.cString(accountID)
        target.pointee.n_records = records.count
        target.pointee.records = arena.repeated(records)
        return target
    }
}

extension RecordUsageRequest: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: RecordUsageRequest.self, name: "RecordUsageRequest",
            unpack: tally__v1__record_usage_request__unpack, initialize: tally__v1__record_usage_request__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__record_usage_request__get_packed_size, pack: tally__v1__record_usage_request__pack)
    }
}
