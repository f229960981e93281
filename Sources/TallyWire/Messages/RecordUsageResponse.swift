import CProtobufC
import CTallyProto

/// The reply to `RecordUsageRequest`.
public struct RecordUsageResponse: Sendable, Equatable {
    /// One result per request record, in request order.
    public var results: [RecordResult]

    public init(
        results: [RecordResult] = []
    ) {
        self.results = results
    }
}

extension RecordUsageResponse: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__RecordUsageResponse>) throws(WireError) {
        let source = cMessage.pointee
        results = try RecordResult.decodeRepeated(source.results, count: source.n_results)
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__RecordUsageResponse> {
        let target = arena.message(Tally__V1__RecordUsageResponse.self, tally__v1__record_usage_response__init)
        target.pointee.n_results = results.count
        target.pointee.results = arena.repeated(results)
        return target
    }
}

extension RecordUsageResponse: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: RecordUsageResponse.self, name: "RecordUsageResponse",
            unpack: tally__v1__record_usage_response__unpack, initialize: tally__v1__record_usage_response__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__record_usage_response__get_packed_size, pack: tally__v1__record_usage_response__pack)
    }
}
