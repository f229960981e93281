import Foundation
import Testing
import TallyClient
import TallyCore
import TallyServer
import TallyWire

@Suite struct ProtocolTests {
    @Test func firstFrameMustBeHello() async throws {
        let server = try await TestServer()
        let raw = try RawConnection(address: server.address)
        try raw.sendFrame(requestID: 7, method: Method.getQuota.rawValue, payload: GetQuotaRequest().serializedBytes())
        let reply = try #require(await raw.readFrame())
        #expect(reply.requestID == 7)
        #expect(reply.status == .unauthenticated)
        #expect(String(decoding: reply.payload, as: UTF8.self) == "the first request on a connection must be Hello (method 0)")
        #expect(await raw.isClosedByPeer())
        await server.shutdown()
    }

    @Test func unknownMethodBeforeHelloIsUnauthenticated() async throws {
        let server = try await TestServer()
        let raw = try RawConnection(address: server.address)
        try raw.sendFrame(requestID: 8, method: 200, payload: [])
        let reply = try #require(await raw.readFrame())
        #expect(reply.requestID == 8)
        #expect(reply.status == .unauthenticated)
        #expect(String(decoding: reply.payload, as: UTF8.self) == "the first request on a connection must be Hello (method 0)")
        #expect(await raw.isClosedByPeer())
        let client = try await server.client()
        #expect(try await client.getQuota(GetQuotaRequest()).plan == "free")
        client.close()
        await server.shutdown()
    }

    @Test func unsupportedVersionIsRejected() async throws {
        let server = try await TestServer()
        let raw = try RawConnection(address: server.address)
        try raw.sendFrame(requestID: 1, method: Method.hello.rawValue,
                          payload: HelloRequest(protocolVersion: 2).serializedBytes())
        let reply = try #require(await raw.readFrame())
        #expect(reply.status == .failedPrecondition)
        #expect(String(decoding: reply.payload, as: UTF8.self).contains("version 1"))
        #expect(await raw.isClosedByPeer())
        await server.shutdown()
    }

    @Test func oversizedFrameIsRejectedFromItsHeader() async throws {
        let server = try await TestServer()
        let raw = try RawConnection(address: server.address)
        try raw.helloFrame()
        #expect(await raw.readFrame()?.status == .ok)
        // A header announcing 2 GiB, and no body at all.
        try raw.send([0x80, 0x00, 0x00, 0x00, 0, 0, 0, 9, 1, 1, 0, 0])
        let reply = try #require(await raw.readFrame())
        #expect(reply.requestID == 0)
        #expect(reply.status == .invalidArgument)
        #expect(String(decoding: reply.payload, as: UTF8.self).contains("2147483648"))
        #expect(await raw.isClosedByPeer())
        // The server still serves others.
        let client = try await server.client()
        #expect(try await client.getQuota(GetQuotaRequest()).plan == "free")
        client.close()
        await server.shutdown()
    }

    @Test func unknownMethodKeepsTheConnection() async throws {
        let server = try await TestServer()
        let raw = try RawConnection(address: server.address)
        try raw.helloFrame()
        #expect(await raw.readFrame()?.status == .ok)
        try raw.sendFrame(requestID: 5, method: 42, payload: [])
        let reply = try #require(await raw.readFrame())
        #expect(reply.requestID == 5)
        #expect(reply.status == .unimplemented)
        try raw.sendFrame(requestID: 6, method: Method.getQuota.rawValue, payload: [])
        let quota = try #require(await raw.readFrame())
        #expect(quota.requestID == 6)
        #expect(quota.status == .ok)
        await server.shutdown()
    }

    @Test func malformedPayloadIsInvalidArgument() async throws {
        let server = try await TestServer()
        let raw = try RawConnection(address: server.address)
        try raw.helloFrame()
        #expect(await raw.readFrame()?.status == .ok)
        // Field 2 (records), length-delimited, claims 100 bytes but has 1.
        try raw.sendFrame(requestID: 9, method: Method.recordUsage.rawValue, payload: [0x12, 0x64, 0x00])
        let reply = try #require(await raw.readFrame())
        #expect(reply.status == .invalidArgument)
        let summary = try await server.core.summary(accountID: "default", range: RangeQuery(preset: .allTime),
                                                    maxSessions: 10, nowMs: TestServer.nowMs)
        #expect(summary.records == 0)
        await server.shutdown()
    }

    @Test func pipelinedRequestsAllGetTheirReplies() async throws {
        let server = try await TestServer()
        let client = try await server.client()
        let count = 200
        try await withThrowingTaskGroup(of: RecordUsageResponse.self) { group in
            for index in 0..<count {
                group.addTask {
                    let record = UsageRecord(eventID: "event-\(index)", sessionID: "session-\(index % 10)",
                                             timestampMs: TestServer.nowMs - Int64(index), inputTokens: 100, outputTokens: 1)
                    return try await client.recordUsage(RecordUsageRequest(records: [record]))
                }
            }
            var accepted = 0
            for try await response in group where response.results.first?.status == .ok {
                accepted += 1
            }
            #expect(accepted == count)
        }
        let summary = try await client.getSummary(GetSummaryRequest())
        #expect(summary.inputTokens == 20_000)
        #expect(summary.outputTokens == 200)
        #expect(summary.sessionsUsed == 10)
        client.close()
        await server.shutdown()
    }

    @Test func invalidRecordNamesFieldValueAndLimit() async throws {
        let server = try await TestServer()
        let client = try await server.client()
        let longSession = String(repeating: "s", count: 129)
        let response = try await client.recordUsage(RecordUsageRequest(records: [
            UsageRecord(sessionID: "ok", inputTokens: 5),
            UsageRecord(sessionID: longSession, inputTokens: 5),
            UsageRecord(sessionID: "future", timestampMs: TestServer.nowMs + 300_001, inputTokens: 5),
        ]))
        #expect(response.results.map(\.status) == [.ok, .invalidArgument, .invalidArgument])
        #expect(response.results[1].message.contains("records[1].session_id"))
        #expect(response.results[1].message.contains("129"))
        #expect(response.results[1].message.contains("128"))
        #expect(response.results[2].message.contains("records[2].timestamp_ms"))
        let summary = try await client.getSummary(GetSummaryRequest())
        #expect(summary.records == 1)
        #expect(summary.inputTokens == 5)

        let badZone = await #expect(throws: RPCError.self) {
            _ = try await client.getSummary(GetSummaryRequest(range: TimeRange(preset: .today, timeZone: "Mars/Base")))
        }
        #expect(badZone?.code == .invalidArgument)
        #expect(badZone?.message.contains("Mars/Base") == true)
        let badPreset = await #expect(throws: RPCError.self) {
            _ = try await client.getSummary(GetSummaryRequest(range: TimeRange(preset: .unrecognized(9))))
        }
        #expect(badPreset?.code == .invalidArgument)
        #expect(badPreset?.message.contains("range.preset: unknown value 9") == true)
        let bigPage = await #expect(throws: RPCError.self) {
            _ = try await client.listRecords(ListRecordsRequest(pageSize: 1_001))
        }
        #expect(bigPage?.message == "page_size: 1001 is over the maximum of 1000")
        client.close()
        await server.shutdown()
    }
}
