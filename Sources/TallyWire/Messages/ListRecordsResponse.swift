import CProtobufC
import CTallyProto

/// The reply to `ListRecordsRequest`.
public struct ListRecordsResponse: Sendable, Equatable {
    /// Newest first.
    public var records: [StoredRecord]
    /// Empty on the last page.
    public var nextPageToken: String
    /// The resolved inclusive start, Unix milliseconds.
    public var startMs: Int64
    /// The resolved exclusive end, Unix milliseconds.
    public var endMs: Int64

    public init(
        records: [StoredRecord] = [],
        nextPageToken: String = "",
        startMs: Int64 = 0,
        endMs: Int64 = 0
    ) {
        self.records = records
        self.nextPageToken = nextPageToken
        self.startMs = startMs
        self.endMs = endMs
    }
}

extension ListRecordsResponse: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__ListRecordsResponse>) throws(WireError) {
        let source = cMessage.pointee
        records = try StoredRecord.decodeRepeated(source.records, count: source.n_records)
        nextPageToken = try CCodec.string(source.next_page_token, message: "ListRecordsResponse", field: "next_page_token")
        startMs = source.start_ms
        endMs = source.end_ms
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__ListRecordsResponse> {
        let target = arena.message(Tally__V1__ListRecordsResponse.self, tally__v1__list_records_response__init)
        target.pointee.n_records = records.count
        target.pointee.records = arena.repeated(records)
        target.pointee.next_page_token = arena.cString(nextPageToken)
        target.pointee.start_ms = startMs
        target.pointee.end_ms = endMs
        return target
    }
}

extension ListRecordsResponse: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: ListRecordsResponse.self, name: "ListRecordsResponse",
            unpack: tally__v1__list_records_response__unpack, initialize: tally__v1__list_records_response__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__list_records_response__get_packed_size, pack: tally__v1__list_records_response__pack)
    }
}
