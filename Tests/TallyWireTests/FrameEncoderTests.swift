import Testing

@testable import TallyWire

@Suite("Frame encoder")
struct FrameEncoderTests {
    @Test("header layout is big-endian")
    func headerLayout() {
        var buffer: [UInt8] = [0xEE]
        FrameEncoder.append(
            requestID: 0x0102_0304, kind: .reply, method: Method.getSummary.rawValue, status: .notFound,
            payload: [0xAA, 0xBB], to: &buffer)
        #expect(buffer == [0xEE, 0, 0, 0, 10, 1, 2, 3, 4, 2, 2, 5, 0, 0xAA, 0xBB])
    }

    @Test("Hello request example bytes")
    func helloRequestExample() {
        let payload = HelloRequest(protocolVersion: 1, apiKey: "tk_demo", clientName: "demo/1.0").serializedBytes()
        let frame = FrameEncoder.encode(Frame(requestID: 1, kind: .request, method: .hello, payload: payload))
        let expected: [UInt8] = [
            0x00, 0x00, 0x00, 0x1D, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00,
            0x08, 0x01,
            0x12, 0x07, 0x74, 0x6B, 0x5F, 0x64, 0x65, 0x6D, 0x6F,
            0x1A, 0x08, 0x64, 0x65, 0x6D, 0x6F, 0x2F, 0x31, 0x2E, 0x30,
        ]
        #expect(frame == expected)
    }

    @Test("RecordUsage request example bytes")
    func recordUsageRequestExample() {
        let request = RecordUsageRequest(records: [
            UsageRecord(eventID: "e1", sessionID: "s1", inputTokens: 120, outputTokens: 30)
        ])
        let frame = FrameEncoder.encode(
            Frame(requestID: 2, kind: .request, method: .recordUsage, payload: request.serializedBytes()))
        let expected: [UInt8] = [
            0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x02, 0x01, 0x01, 0x00, 0x00,
            0x12, 0x0C,
            0x0A, 0x02, 0x65, 0x31,
            0x12, 0x02, 0x73, 0x31,
            0x20, 0x78,
            0x28, 0x1E,
        ]
        #expect(frame == expected)
    }

    @Test("error reply example bytes")
    func errorReplyExample() {
        let frame = FrameEncoder.encode(
            Frame(requestID: 2, kind: .reply, method: .recordUsage, status: .unauthenticated, payload: Array("bad key".utf8)))
        let expected: [UInt8] = [
            0x00, 0x00, 0x00, 0x0F, 0x00, 0x00, 0x00, 0x02, 0x02, 0x01, 0x10, 0x00,
            0x62, 0x61, 0x64, 0x20, 0x6B, 0x65, 0x79,
        ]
        #expect(frame == expected)
    }

    @Test("header round trip")
    func headerRoundTrip() {
        let header = FrameHeader(length: 4_194_304, requestID: 0xDEAD_BEEF, kind: 1, method: 4, status: 0, flags: 0)
        var buffer: [UInt8] = []
        header.append(to: &buffer)
        #expect(buffer.count == FrameHeader.size)
        let decoded = buffer.withUnsafeBytes { FrameHeader(bytes: $0) }
        #expect(decoded == header)
        #expect(decoded.payloadLength == 4_194_296)
    }
}
