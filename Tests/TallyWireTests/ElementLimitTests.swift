import Testing

@testable import TallyWire

@Suite("Element limit")
struct ElementLimitTests {
    /// `count` empty RecordResult entries: field 1, length 0.
    private func emptyResults(_ count: Int) -> [UInt8] {
        (0..<count).flatMap { _ -> [UInt8] in [0x0A, 0x00] }
    }

    @Test("too many sub-messages are rejected before unpacking")
    func tooManySubMessages() {
        let error = #expect(throws: WireError.self) {
            _ = try RecordUsageResponse(serializedBytes: emptyResults(WireProtocol.maxElementsPerMessage + 1))
        }
        #expect(error?.message == "RecordUsageResponse payload has over 262144 sub-messages and unknown fields, the maximum")
    }

    @Test("the maximum itself decodes")
    func atTheMaximum() throws {
        let response = try RecordUsageResponse(serializedBytes: emptyResults(WireProtocol.maxElementsPerMessage))
        #expect(response.results.count == 262_144)
    }

    @Test("unknown fields count")
    func unknownFields() {
        // Field 15, varint 0, repeated: two bytes each, all unknown to ListRecordsRequest.
        let bytes = (0..<300_000).flatMap { _ -> [UInt8] in [0x78, 0x00] }
        let error = #expect(throws: WireError.self) {
            _ = try ListRecordsRequest(serializedBytes: bytes)
        }
        #expect(error?.message == "ListRecordsRequest payload has over 262144 sub-messages and unknown fields, the maximum")
    }

    @Test("nested sub-messages count")
    func nestedSubMessages() {
        // 120,000 results, each holding two empty notifications (field 4 of RecordResult):
        // 360,000 sub-messages in 1,200,000 bytes.
        let result: [UInt8] = [0x0A, 0x04, 0x22, 0x00, 0x22, 0x00]
        let bytes = (0..<120_000).flatMap { _ in result }
        let error = #expect(throws: WireError.self) {
            _ = try RecordUsageResponse(serializedBytes: bytes)
        }
        #expect(error?.message == "RecordUsageResponse payload has over 262144 sub-messages and unknown fields, the maximum")
    }

    @Test("long strings are not elements")
    func longStrings() throws {
        // One ListRecordsRequest with a 700,000-byte page token: a single field.
        let token = [UInt8](repeating: 0x61, count: 700_000)
        var bytes: [UInt8] = [0x2A]
        var length = token.count
        while length >= 0x80 {
            bytes.append(UInt8(length & 0x7F) | 0x80)
            length >>= 7
        }
        bytes.append(UInt8(length))
        let request = try ListRecordsRequest(serializedBytes: bytes + token)
        #expect(request.pageToken.utf8.count == 700_000)
    }
}
