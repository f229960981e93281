import Testing

@testable import TallyWire

@Suite("Status codes and names")
struct StatusCodeTests {
    @Test("status code names and numbers")
    func statusCodeNames() {
        let expected: [(StatusCode, String, UInt8)] = [
            (.ok, "OK", 0), (.cancelled, "CANCELLED", 1), (.unknown, "UNKNOWN", 2),
            (.invalidArgument, "INVALID_ARGUMENT", 3), (.deadlineExceeded, "DEADLINE_EXCEEDED", 4),
            (.notFound, "NOT_FOUND", 5), (.alreadyExists, "ALREADY_EXISTS", 6),
            (.permissionDenied, "PERMISSION_DENIED", 7), (.resourceExhausted, "RESOURCE_EXHAUSTED", 8),
            (.failedPrecondition, "FAILED_PRECONDITION", 9), (.aborted, "ABORTED", 10),
            (.outOfRange, "OUT_OF_RANGE", 11), (.unimplemented, "UNIMPLEMENTED", 12), (.internal, "INTERNAL", 13),
            (.unavailable, "UNAVAILABLE", 14), (.dataLoss, "DATA_LOSS", 15), (.unauthenticated, "UNAUTHENTICATED", 16),
        ]
        #expect(expected.count == StatusCode.allCases.count)
        for (code, name, number) in expected {
            #expect(code.name == name)
            #expect(code.rawValue == number)
            #expect(StatusCode(protoValue: Int32(number)) == code)
        }
        #expect(StatusCode(protoValue: 17) == .unknown)
        #expect(StatusCode(protoValue: -1) == .unknown)
    }

    @Test("method names and numbers")
    func methodNames() {
        #expect(Method.hello.name == "Hello")
        #expect(Method.recordUsage.name == "RecordUsage")
        #expect(Method.getSummary.name == "GetSummary")
        #expect(Method.listRecords.name == "ListRecords")
        #expect(Method.getQuota.name == "GetQuota")
        #expect(Method.allCases.map(\.rawValue) == [0, 1, 2, 3, 4])
        #expect(Method(rawValue: 5) == nil)
    }

    @Test("RPCError description")
    func rpcErrorDescription() {
        let error = RPCError(code: .invalidArgument, message: "page_size: 5000 is over the maximum of 1000")
        #expect(error.description == "INVALID_ARGUMENT: page_size: 5000 is over the maximum of 1000")
        #expect(error == RPCError(code: .invalidArgument, message: "page_size: 5000 is over the maximum of 1000"))
    }
}
