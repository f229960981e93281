import Testing

@testable import TallyWire

@Suite("Malformed payloads")
struct MalformedPayloadTests {
    /// Decodes `bytes` as a UsageRecord and returns the error it throws, or nil.
    private func usageRecordError(_ bytes: [UInt8]) -> WireError? {
        do {
            _ = try UsageRecord(serializedBytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test("truncated varint")
    func truncatedVarint() {
        // Field 4 (input_tokens) with a varint whose continuation bit promises another byte.
        #expect(usageRecordError([0x20, 0x80]) == WireError(message: "malformed UsageRecord payload (2 bytes)"))
    }

    @Test("varint of 11 bytes")
    func elevenByteVarint() {
        let bytes: [UInt8] = [0x20] + [UInt8](repeating: 0xFF, count: 10) + [0x01]
        #expect(usageRecordError(bytes) == WireError(message: "malformed UsageRecord payload (12 bytes)"))
    }

    @Test("truncated field key")
    func truncatedKey() {
        #expect(usageRecordError([0x80]) == WireError(message: "malformed UsageRecord payload (1 bytes)"))
    }

    @Test("length-delimited field longer than the rest")
    func lengthPastEnd() {
        // Field 2 (session_id) declares 5 bytes, but only 1 follows.
        #expect(usageRecordError([0x12, 0x05, 0x61]) == WireError(message: "malformed UsageRecord payload (3 bytes)"))
    }

    @Test("huge length prefix")
    func hugeLengthPrefix() {
        // Field 2 declares a length of 2^63 - 1 bytes.
        let bytes: [UInt8] = [0x12] + [UInt8](repeating: 0xFF, count: 8) + [0x7F]
        #expect(usageRecordError(bytes) == WireError(message: "malformed UsageRecord payload (10 bytes)"))
    }

    @Test("wrong wire type for a string field")
    func wrongWireTypeForString() {
        // Field 2 (session_id) sent as a varint.
        #expect(usageRecordError([0x10, 0x05]) == WireError(message: "malformed UsageRecord payload (2 bytes)"))
    }

    @Test("group wire type")
    func groupWireType() {
        // Field 1 as a start-group (wire type 3), which proto3 does not use.
        #expect(usageRecordError([0x0B, 0x0C]) == WireError(message: "malformed UsageRecord payload (2 bytes)"))
    }

    @Test("malformed nested message")
    func malformedNestedMessage() {
        // RecordUsageRequest field 2 (records) contains a UsageRecord with a truncated varint.
        let bytes: [UInt8] = [0x12, 0x02, 0x20, 0x80]
        #expect(throws: WireError(message: "malformed RecordUsageRequest payload (4 bytes)")) {
            try RecordUsageRequest(serializedBytes: bytes)
        }
    }

    @Test("invalid UTF-8 names message and field")
    func invalidUTF8() {
        // session_id = C3 28: a lead byte followed by a byte that is not a continuation byte.
        #expect(usageRecordError([0x12, 0x02, 0xC3, 0x28]) == WireError(message: "invalid UTF-8 in UsageRecord.session_id"))
        // event_id = ED A0 80: an encoded UTF-16 surrogate.
        #expect(usageRecordError([0x0A, 0x03, 0xED, 0xA0, 0x80]) == WireError(message: "invalid UTF-8 in UsageRecord.event_id"))
    }

    @Test("invalid UTF-8 in nested message")
    func invalidUTF8Nested() {
        // RecordUsageRequest.records[0].session_id = FF.
        let bytes: [UInt8] = [0x0A, 0x01, 0x61, 0x12, 0x03, 0x12, 0x01, 0xFF]
        #expect(throws: WireError(message: "invalid UTF-8 in UsageRecord.session_id")) {
            try RecordUsageRequest(serializedBytes: bytes)
        }
        // RecordUsageRequest.account_id = FE.
        #expect(throws: WireError(message: "invalid UTF-8 in RecordUsageRequest.account_id")) {
            try RecordUsageRequest(serializedBytes: [0x0A, 0x01, 0xFE])
        }
    }

    @Test("NUL character in a string field")
    func nulInString() {
        #expect(
            usageRecordError([0x12, 0x03, 0x61, 0x00, 0x62])
                == WireError(message: "UsageRecord.session_id contains the NUL character (U+0000), which strings must not contain"))
    }

    @Test("NUL character in a nested string field")
    func nulInNestedString() {
        // GetSummaryRequest.range.time_zone = "U\0".
        let bytes: [UInt8] = [0x12, 0x04, 0x22, 0x02, 0x55, 0x00]
        #expect(
            throws: WireError(message: "TimeRange.time_zone contains the NUL character (U+0000), which strings must not contain")
        ) {
            try GetSummaryRequest(serializedBytes: bytes)
        }
    }

    @Test("zero bytes outside strings are accepted")
    func zeroBytesOutsideStrings() throws {
        // input_tokens = 0 sent explicitly, and an empty session_id.
        let decoded = try UsageRecord(serializedBytes: [0x20, 0x00, 0x12, 0x00])
        #expect(decoded == UsageRecord())
    }

    @Test("payload over the maximum is rejected before decoding")
    func payloadOverMaximum() {
        let bytes = [UInt8](repeating: 0x00, count: WireProtocol.maxPayloadBytes + 1)
        #expect(
            usageRecordError(bytes)
                == WireError(message: "UsageRecord payload of 4194305 bytes is over the maximum of 4194304 bytes"))
    }

    @Test("random garbage never crashes")
    func randomGarbage() {
        var generator = SplitMix64(seed: 0x7A11)
        var failures = 0
        for length in 0..<2_000 {
            let bytes = (0..<(length % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            do {
                _ = try RecordUsageRequest(serializedBytes: bytes)
                _ = try GetQuotaResponse(serializedBytes: bytes)
            } catch {
                failures += 1
                #expect(!error.message.isEmpty)
            }
        }
        // Most random byte strings are not valid messages.
        #expect(failures > 1_000)
    }
}

/// A small deterministic generator so that the garbage inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
