import Foundation
import Testing
import TallyClient
import TallyCore
import TallyServer
import TallyWire

/// Hand-made hostile bytes, each sent on a fresh authenticated connection.
/// Every case gets its exact reply, and a valid request right after it
/// succeeds: on the same connection when it stays open, else on a new one.
@Suite struct HostilePayloadTests {
    struct Case: CustomStringConvertible {
        var description: String
        /// Bytes sent after a successful Hello.
        var bytes: [UInt8]
        var status: StatusCode
        var requestID: UInt32 = 3
        /// The reply's error message; nil for an OK reply.
        var message: String?
        var closes = false
    }

    static func frame(_ method: UInt8, _ payload: [UInt8], requestID: UInt32 = 3, kind: UInt8 = 1,
                      status: UInt8 = 0, flags: UInt8 = 0) -> [UInt8] {
        let length = UInt32(8 + payload.count)
        var bytes = withUnsafeBytes(of: length.bigEndian, Array.init)
        bytes += withUnsafeBytes(of: requestID.bigEndian, Array.init)
        bytes += [kind, method, status, flags]
        return bytes + payload
    }

    static let recordUsage = Method.recordUsage.rawValue
    static let getSummary = Method.getSummary.rawValue
    static let listRecords = Method.listRecords.rawValue
    static let getQuota = Method.getQuota.rawValue

    static let cases: [Case] = [
        // Field 1 (account_id, a string) with wire type 0 (varint).
        Case(description: "string field sent as a varint",
             bytes: frame(recordUsage, [0x08, 0x01]),
             status: .invalidArgument, message: "malformed RecordUsageRequest payload (2 bytes)"),
        Case(description: "varint of 11 bytes",
             bytes: frame(getQuota, [0x18] + [UInt8](repeating: 0xff, count: 10) + [0x01]),
             status: .invalidArgument, message: "malformed GetQuotaRequest payload (12 bytes)"),
        Case(description: "length-delimited field longer than the message",
             bytes: frame(recordUsage, [0x12, 0x64, 0x00]),
             status: .invalidArgument, message: "malformed RecordUsageRequest payload (3 bytes)"),
        Case(description: "nested field longer than its sub-message",
             bytes: frame(recordUsage, [0x12, 0x02, 0x12, 0x10]),
             status: .invalidArgument, message: "malformed RecordUsageRequest payload (4 bytes)"),
        Case(description: "invalid UTF-8 in a string",
             bytes: frame(listRecords, [0x1a, 0x02, 0xff, 0xfe]),
             status: .invalidArgument, message: "invalid UTF-8 in ListRecordsRequest.session_id"),
        Case(description: "NUL inside a string",
             bytes: frame(getQuota, [0x12, 0x02, 0x61, 0x00]),
             status: .invalidArgument,
             message: "GetQuotaRequest.session_id contains the NUL character (U+0000), which strings must not contain"),
        Case(description: "negative at_ms",
             bytes: frame(getQuota, GetQuotaRequest(atMs: -1).serializedBytes()),
             status: .invalidArgument, message: "at_ms: -1 is negative; pass 0 for now or Unix milliseconds"),
        Case(description: "account_id over 64 bytes",
             bytes: frame(getSummary, GetSummaryRequest(accountID: String(repeating: "a", count: 65)).serializedBytes()),
             status: .invalidArgument, message: "account_id: 65 bytes is over the maximum of 64 bytes"),
        Case(description: "unknown method",
             bytes: frame(42, []),
             status: .unimplemented, message: "method 42 is not implemented; methods are 0 to 4"),
        Case(description: "nonzero status byte in a request",
             bytes: frame(getQuota, [], status: 3),
             status: .invalidArgument, message: "a request's status byte must be 0"),
        Case(description: "zero-length Hello after Hello",
             bytes: frame(Method.hello.rawValue, []),
             status: .failedPrecondition, message: "Hello was already answered on this connection"),
        Case(description: "zero-length RecordUsage", bytes: frame(recordUsage, []), status: .ok),
        Case(description: "zero-length GetSummary", bytes: frame(getSummary, []), status: .ok),
        Case(description: "zero-length ListRecords", bytes: frame(listRecords, []), status: .ok),
        Case(description: "zero-length GetQuota", bytes: frame(getQuota, []), status: .ok),
        // Fields 111 (varint), 112 (2 bytes), 113 (fixed32) and 114 (fixed64).
        Case(description: "unknown fields are ignored",
             bytes: frame(getQuota, [0xf8, 0x06, 0x01, 0x82, 0x07, 0x02, 0x61, 0x62, 0x8d, 0x07, 1, 2, 3, 4,
                                     0x91, 0x07, 1, 2, 3, 4, 5, 6, 7, 8]),
             status: .ok),
        Case(description: "header announcing 2 GiB, then silence",
             bytes: [0x80, 0, 0, 0, 0, 0, 0, 9, 1, 1, 0, 0],
             status: .invalidArgument, requestID: 0,
             message: "frame length 2147483648 is over the maximum of 4194304 bytes", closes: true),
        Case(description: "length field under 8",
             bytes: [0, 0, 0, 4, 0, 0, 0, 9],
             status: .invalidArgument, requestID: 0,
             message: "frame length 4 is under the minimum of 8 bytes", closes: true),
        Case(description: "nonzero flags",
             bytes: frame(getQuota, [], flags: 0x80),
             status: .invalidArgument, requestID: 0,
             message: "frame flags 128 are invalid: the flags byte is reserved and must be 0", closes: true),
        Case(description: "unknown frame kind",
             bytes: frame(getQuota, [], kind: 7),
             status: .invalidArgument, requestID: 0,
             message: "frame kind 7 is invalid: expected 1 (request) or 2 (reply)", closes: true),
        Case(description: "reply frame from a client",
             bytes: frame(getQuota, [], kind: 2),
             status: .invalidArgument, message: "frame kind must be 1 (request) from a client", closes: true),
    ]

    @Test func hostilePayloadsGetErrors() async throws {
        let server = try await TestServer()
        for hostile in Self.cases {
            let raw = try RawConnection(address: server.address)
            try raw.helloFrame()
            #expect(await raw.readFrame()?.status == .ok, "\(hostile)")
            try raw.send(hostile.bytes)

            let reply = try #require(await raw.readFrame(), "\(hostile)")
            #expect(reply.status == hostile.status, "\(hostile)")
            #expect(reply.requestID == hostile.requestID, "\(hostile)")
            if let message = hostile.message {
                #expect(String(decoding: reply.payload, as: UTF8.self) == message, "\(hostile)")
            }

            let follower: RawConnection
            if hostile.closes {
                #expect(await raw.isClosedByPeer(), "\(hostile)")
                follower = try RawConnection(address: server.address)
                try follower.helloFrame()
                #expect(await follower.readFrame()?.status == .ok, "\(hostile)")
            } else {
                follower = raw
            }
            try follower.sendFrame(requestID: 77, method: Method.getQuota.rawValue, payload: GetQuotaRequest().serializedBytes())
            let valid = try #require(await follower.readFrame(), "\(hostile)")
            #expect(valid.requestID == 77, "\(hostile)")
            #expect(valid.status == .ok, "\(hostile)")
            #expect(try GetQuotaResponse(serializedBytes: valid.payload).plan == "free", "\(hostile)")
        }
        // None of the hostile requests stored anything.
        let summary = try await server.core.summary(accountID: "default", range: RangeQuery(preset: .allTime),
                                                    maxSessions: 10, nowMs: TestServer.nowMs)
        #expect(summary.records == 0)
        await server.shutdown()
    }

    @Test func unknownFieldsInRecordAreIgnored() async throws {
        let server = try await TestServer()
        let raw = try RawConnection(address: server.address)
        try raw.helloFrame()
        #expect(await raw.readFrame()?.status == .ok)
        // A record with session_id "s" and input_tokens 7, plus field 15 (varint 1)
        // inside the record and field 9 (4 bytes) in the request.
        let record: [UInt8] = [0x12, 0x01, 0x73, 0x20, 0x07, 0x78, 0x01]
        let payload: [UInt8] = [0x12, UInt8(record.count)] + record + [0x4a, 0x04, 1, 2, 3, 4]
        try raw.sendFrame(requestID: 5, method: Method.recordUsage.rawValue, payload: payload)
        let reply = try #require(await raw.readFrame())
        #expect(reply.status == .ok)
        let response = try RecordUsageResponse(serializedBytes: reply.payload)
        #expect(response.results.map(\.status) == [.ok])
        let summary = try await server.core.summary(accountID: "default", range: RangeQuery(preset: .allTime),
                                                    maxSessions: 10, nowMs: TestServer.nowMs)
        #expect(summary.records == 1)
        #expect(summary.inputTokens == 7)
        await server.shutdown()
    }

    @Test func negativeCountsAreRejectedWithHint() async throws {
        let server = try await TestServer()
        let client = try await server.client()
        // -1 as an int64 has the bits of UInt64.max; protobuf reads it as that.
        let minusOne = UInt64(bitPattern: -1)
        let response = try await client.recordUsage(RecordUsageRequest(records: [
            UsageRecord(sessionID: "a", inputTokens: minusOne),
            UsageRecord(sessionID: "b", inputTokens: 3, decisions: UInt64(bitPattern: -42)),
            UsageRecord(sessionID: "c", timestampMs: -5, inputTokens: 3),
            UsageRecord(sessionID: "d", inputTokens: 4),
        ]))
        #expect(response.results.map(\.status) == [.invalidArgument, .invalidArgument, .invalidArgument, .ok])
        #expect(response.results[0].message
            == "records[0].input_tokens: 18446744073709551615 is over the maximum of 4294967295; read as a signed 64-bit number it is -1, and counts must not be negative")
        #expect(response.results[1].message
            == "records[1].decisions: 18446744073709551574 is over the maximum of 4294967295; read as a signed 64-bit number it is -42, and counts must not be negative")
        #expect(response.results[2].message.hasPrefix("records[2].timestamp_ms: -5"))
        let summary = try await client.getSummary(GetSummaryRequest())
        #expect(summary.records == 1)
        #expect(summary.inputTokens == 4)
        client.close()
        await server.shutdown()
    }
}

@Suite struct PayloadAmplificationTests {
    @Test func manyEmptyRecordsAreRejectedBeforeDecoding() async throws {
        let server = try await TestServer()
        let raw = try RawConnection(address: server.address)
        try raw.helloFrame()
        #expect(await raw.readFrame()?.status == .ok)
        // 20,000 empty records in 40,000 bytes: protobuf-c would allocate a
        // struct for each before the batch limit could be checked.
        var payload: [UInt8] = []
        for _ in 0..<20_000 {
            payload += [0x12, 0x00]
        }
        try raw.sendFrame(requestID: 4, method: Method.recordUsage.rawValue, payload: payload)
        let reply = try #require(await raw.readFrame())
        #expect(reply.status == .invalidArgument)
        #expect(String(decoding: reply.payload, as: UTF8.self)
            == "records: 20000 records is over the maximum of 10000 per request (max_batch_records)")
        await server.shutdown()
    }

    @Test func manyUnknownFieldsAreRejected() async throws {
        let server = try await TestServer()
        let raw = try RawConnection(address: server.address)
        try raw.helloFrame()
        #expect(await raw.readFrame()?.status == .ok)
        // 257 copies of unknown field 15 with varint 0.
        var payload: [UInt8] = []
        for _ in 0..<257 {
            payload += [0x78, 0x00]
        }
        try raw.sendFrame(requestID: 4, method: Method.getQuota.rawValue, payload: payload)
        let reply = try #require(await raw.readFrame())
        #expect(reply.status == .invalidArgument)
        #expect(String(decoding: reply.payload, as: UTF8.self)
            == "GetQuotaRequest has 257 fields, over the maximum of 256; unknown fields count too")
        // Unknown fields inside a record count toward that request's bound.
        var record: [UInt8] = [0x12, 0x01, 0x73]
        for _ in 0..<200 {
            record += [0x78, 0x00]
        }
        var limits = ServiceLimits()
        limits.maxBatchRecords = 1
        let small = try await TestServer(limits: limits)
        let second = try RawConnection(address: small.address)
        try second.helloFrame()
        #expect(await second.readFrame()?.status == .ok)
        let request: [UInt8] = [0x12] + [UInt8(0x80 | (record.count & 0x7f)), UInt8(record.count >> 7)] + record
        try second.sendFrame(requestID: 5, method: Method.recordUsage.rawValue, payload: request)
        let rejected = try #require(await second.readFrame())
        #expect(rejected.status == .invalidArgument)
        #expect(String(decoding: rejected.payload, as: UTF8.self)
            == "RecordUsageRequest has 202 fields, over the maximum of 32 (16 per record); unknown fields count too")
        try second.sendFrame(requestID: 6, method: Method.getQuota.rawValue, payload: [])
        #expect(await second.readFrame()?.status == .ok)
        await small.shutdown()
        await server.shutdown()
    }
}
