import Foundation
import Testing
import TallyClient
import TallyCore
@testable import TallyServer
import TallyWire

@Suite struct LimitsTests {
    static func shortStallTransport() -> TransportOptions {
        var transport = TransportOptions()
        transport.stallTimeout = .milliseconds(300)
        return transport
    }

    @Test func stalledPartialFrameIsClosed() async throws {
        let server = try await TestServer(transport: Self.shortStallTransport())
        let raw = try RawConnection(address: server.address)
        try raw.helloFrame()
        #expect(await raw.readFrame()?.status == .ok)
        // Six bytes of a 12-byte header, then nothing.
        try raw.send([0, 0, 0, 20, 0, 0])
        let other = try await server.client()
        #expect(try await other.getQuota(GetQuotaRequest()).plan == "free")

        #expect(await raw.drainUntilClosed() == 0)
        #expect(await server.eventually { server.server.openConnections == 1 })
        #expect(try await other.getQuota(GetQuotaRequest()).plan == "free")
        other.close()
        await server.shutdown()
    }

    @Test func inboundTotalLimitClosesConnection() async throws {
        var transport = TransportOptions()
        transport.maxInboundBytes = 64 * 1024
        let server = try await TestServer(transport: transport)
        // A GetQuota frame whose length field announces 60,000 bytes after
        // itself. Each connection sends its 12 header bytes and 39,988 of the
        // 59,992 payload bytes.
        let partial: [UInt8] = [0, 0, 0xea, 0x60, 0, 0, 0, 9, 1, 4, 0, 0] + [UInt8](repeating: 0, count: 39_988)
        let first = try RawConnection(address: server.address)
        try first.helloFrame()
        #expect(await first.readFrame()?.status == .ok)
        let second = try RawConnection(address: server.address)
        try second.helloFrame()
        #expect(await second.readFrame()?.status == .ok)

        try first.send(partial)
        #expect(await server.eventually { server.server.heldInboundBytes == 40_000 })
        try second.send(partial)
        let rejection = try #require(await second.readFrame())
        #expect(rejection.requestID == 0)
        #expect(rejection.status == .resourceExhausted)
        #expect(String(decoding: rejection.payload, as: UTF8.self)
            == "max_inbound_bytes: incomplete frames on all connections would pass 65536 bytes, the maximum; retry later or send smaller frames")
        #expect(await second.isClosedByPeer())
        #expect(server.server.heldInboundBytes <= 40_000)

        // The first connection completes its frame and gets a reply, and the total
        // returns to zero.
        try first.send([UInt8](repeating: 0, count: 20_004))
        let reply = try #require(await first.readFrame())
        #expect(reply.requestID == 9)
        #expect(await server.eventually { server.server.heldInboundBytes == 0 })
        let other = try await server.client()
        #expect(try await other.getQuota(GetQuotaRequest()).plan == "free")
        other.close()
        await server.shutdown()
    }

    @Test func tricklingFrameIsClosed() async throws {
        let server = try await TestServer(transport: Self.shortStallTransport())
        let raw = try RawConnection(address: server.address)
        try raw.helloFrame()
        #expect(await raw.readFrame()?.status == .ok)
        // A 1,000-byte frame sent one byte every 50 ms would take 50 s, far
        // over the 300 ms stall timeout, although bytes keep arriving.
        try raw.send([0, 0, 3, 0xe8, 0, 0, 0, 2, 1, 4, 0, 0])
        var closed = false
        for _ in 0..<400 {
            try? await Task.sleep(for: .milliseconds(50))
            if (try? raw.send([0x08])) == nil {
                closed = true
                break
            }
            if server.server.openConnections == 0 {
                closed = true
                break
            }
        }
        #expect(closed)
        #expect(await server.eventually { server.server.openConnections == 0 })
        await server.shutdown()
    }

    @Test func connectionWithoutHelloIsClosed() async throws {
        let server = try await TestServer(transport: Self.shortStallTransport())
        let raw = try RawConnection(address: server.address)
        #expect(await raw.drainUntilClosed() == 0)
        #expect(await server.eventually { server.server.openConnections == 0 })
        await server.shutdown()
    }

    @Test func unreadRepliesCloseConnection() async throws {
        var transport = Self.shortStallTransport()
        transport.maxOutboundBytes = 64 * 1024
        var configuration = ServerConfiguration.embeddedDefault()
        configuration.metering.accounts["default"]?.plan = "unlimited"
        let server = try await TestServer(configuration: configuration, transport: transport)
        let writer = try await server.client()
        let records = (0..<1_000).map { index in
            UsageRecord(sessionID: "session-\(index)", timestampMs: TestServer.nowMs - 1_000, inputTokens: UInt64(index + 1))
        }
        let stored = try await writer.recordUsage(RecordUsageRequest(records: records))
        #expect(stored.results.filter { $0.status == .ok }.count == 1_000)

        let raw = try RawConnection(address: server.address, readTimeout: 30)
        raw.shrinkReceiveBuffer(to: 4096)
        try raw.helloFrame()
        #expect(await raw.readFrame()?.status == .ok)
        // 300 pages of 1,000 records each are megabytes of replies, far more
        // than the socket buffers and the 64 KiB outbound limit hold.
        let request = ListRecordsRequest(pageSize: 1_000).serializedBytes()
        var pipeline: [UInt8] = []
        for requestID in 2..<302 {
            FrameEncoder.append(requestID: UInt32(requestID), kind: .request, method: Method.listRecords.rawValue,
                                status: .ok, payload: request, to: &pipeline)
        }
        try raw.send(pipeline)

        // The connection that reads nothing is closed, and the others are served meanwhile.
        #expect(await server.eventually { server.server.openConnections == 1 })
        #expect(try await writer.getSummary(GetSummaryRequest()).sessionsUsed == 1_000)
        // Reading the megabytes still in the socket buffers through a 4 KiB
        // window would take long, so the test checks the server's side only.
        writer.close()
        await server.shutdown()
    }

    @Test func perPeerConnectionLimitNamesTheLimit() async throws {
        var transport = TransportOptions()
        transport.maxConnectionsPerPeer = 2
        let server = try await TestServer(transport: transport)
        let first = try await server.client()
        let second = try await server.client()
        let third = try RawConnection(address: server.address)
        let refusal = try #require(await third.readFrame())
        #expect(refusal.requestID == 0)
        #expect(refusal.status == .resourceExhausted)
        #expect(String(decoding: refusal.payload, as: UTF8.self)
            == "max_connections_per_peer: this address has 2 open connections, the maximum; close some or retry later")
        #expect(await third.isClosedByPeer())
        #expect(try await first.getQuota(GetQuotaRequest()).plan == "free")
        second.close()
        #expect(await server.eventually { server.server.openConnections == 1 })
        let replacement = try await server.client()
        #expect(try await replacement.getQuota(GetQuotaRequest()).plan == "free")
        first.close()
        replacement.close()
        await server.shutdown()
    }

    @Test func inFlightLimitAnswersExcessRequests() async throws {
        var limits = ServiceLimits()
        limits.maxInFlight = 1
        let server = try await TestServer(limits: limits)
        let raw = try RawConnection(address: server.address)
        try raw.helloFrame()
        #expect(await raw.readFrame()?.status == .ok)
        // Fifty requests in one write: the loop parses them all before the
        // first reply comes back, so all but the first meet the limit.
        var pipeline: [UInt8] = []
        for requestID in 10..<60 {
            FrameEncoder.append(requestID: UInt32(requestID), kind: .request, method: Method.getQuota.rawValue,
                                status: .ok, payload: [], to: &pipeline)
        }
        try raw.send(pipeline)
        var replies: [Frame] = []
        for _ in 0..<50 {
            replies.append(try #require(await raw.readFrame()))
        }
        #expect(Set(replies.map(\.requestID)) == Set(10..<60))
        let exhausted = replies.filter { $0.status == .resourceExhausted }
        #expect(exhausted.count >= 1)
        #expect(exhausted.count + replies.filter { $0.status == .ok }.count == 50)
        #expect(exhausted.first.map { String(decoding: $0.payload, as: UTF8.self) }
            == "max_in_flight: 1 requests are in flight on this connection, the maximum; wait for replies before sending more")
        // The connection stays open.
        try raw.sendFrame(requestID: 99, method: Method.getQuota.rawValue, payload: [])
        #expect(await raw.readFrame()?.status == .ok)
        await server.shutdown()
    }

    @Test func batchLimitNamesLimitAndValue() async throws {
        var limits = ServiceLimits()
        limits.maxBatchRecords = 5
        let server = try await TestServer(limits: limits)
        let client = try await server.client()
        #expect(client.hello.limits?.maxBatchRecords == 5)
        let records = (0..<6).map { UsageRecord(sessionID: "s\($0)", inputTokens: 1) }
        let error = await #expect(throws: RPCError.self) {
            _ = try await client.recordUsage(RecordUsageRequest(records: records))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "records: 6 records is over the maximum of 5 per request (max_batch_records)")
        let summary = try await client.getSummary(GetSummaryRequest())
        #expect(summary.records == 0)
        client.close()
        await server.shutdown()
    }

    @Test func idLimitsRejectLongIDs() async throws {
        var limits = ServiceLimits()
        limits.maxSessionIDBytes = 12
        limits.maxEventIDBytes = 10
        let server = try await TestServer(limits: limits)
        let client = try await server.client()
        #expect(client.hello.limits?.maxSessionIDBytes == 12)
        #expect(client.hello.limits?.maxEventIDBytes == 10)
        let response = try await client.recordUsage(RecordUsageRequest(records: [
            UsageRecord(eventID: "e-01", sessionID: "thirteen-byte", inputTokens: 1),
            UsageRecord(eventID: "eleven-byte", sessionID: "s", inputTokens: 2),
            UsageRecord(eventID: "ten-bytes!", sessionID: "twelve-bytes", inputTokens: 3),
        ]))
        #expect(response.results.map(\.status) == [.invalidArgument, .invalidArgument, .ok])
        #expect(response.results[0].message == "records[0].session_id: 13 bytes is over the maximum of 12 bytes (max_session_id_bytes)")
        #expect(response.results[1].message == "records[1].event_id: 11 bytes is over the maximum of 10 bytes (max_event_id_bytes)")
        let summary = try await client.getSummary(GetSummaryRequest())
        #expect(summary.records == 1)
        #expect(summary.totalTokens == 3)
        client.close()
        await server.shutdown()
    }

    @Test func lowerPageAndSummaryLimits() async throws {
        var limits = ServiceLimits()
        limits.maxPageSize = 10
        limits.defaultPageSize = 5
        limits.maxSummarySessions = 3
        let server = try await TestServer(limits: limits)
        let client = try await server.client()
        let records = (0..<8).map { UsageRecord(sessionID: "s\($0)", timestampMs: TestServer.nowMs - Int64($0), inputTokens: 1) }
        _ = try await client.recordUsage(RecordUsageRequest(records: records))

        let page = try await client.listRecords(ListRecordsRequest())
        #expect(page.records.count == 5)
        let bigPage = await #expect(throws: RPCError.self) {
            _ = try await client.listRecords(ListRecordsRequest(pageSize: 11))
        }
        #expect(bigPage?.message == "page_size: 11 is over the maximum of 10")
        let summary = try await client.getSummary(GetSummaryRequest())
        #expect(summary.sessions.count == 3)
        #expect(summary.sessionsUsed == 8)
        let manySessions = await #expect(throws: RPCError.self) {
            _ = try await client.getSummary(GetSummaryRequest(maxSessions: 4))
        }
        #expect(manySessions?.message == "max_sessions: 4 is over the maximum of 3")
        client.close()
        await server.shutdown()
    }

    @Test func limitsAboveCoreMaximaAreInvalid() throws {
        var limits = ServiceLimits()
        limits.maxBatchRecords = 10_001
        #expect(throws: ServiceLimits.InvalidLimit(description: "max_batch_records: 10001 is outside the allowed range 1 to 10000")) {
            _ = try limits.validated()
        }
        limits = ServiceLimits()
        limits.maxFrameBytes = 8 << 20
        #expect(throws: ServiceLimits.InvalidLimit(description: "max_frame_bytes: 8388608 is outside the allowed range 72 to 4194304")) {
            _ = try limits.validated()
        }
        limits = ServiceLimits()
        limits.maxSessionIDBytes = 129
        #expect(throws: ServiceLimits.InvalidLimit(description: "max_session_id_bytes: 129 is outside the allowed range 1 to 128")) {
            _ = try limits.validated()
        }
        limits = ServiceLimits()
        limits.maxEventIDBytes = 0
        #expect(throws: ServiceLimits.InvalidLimit(description: "max_event_id_bytes: 0 is outside the allowed range 1 to 128")) {
            _ = try limits.validated()
        }
        limits = ServiceLimits()
        limits.defaultPageSize = 200
        limits.maxPageSize = 100
        #expect(throws: ServiceLimits.InvalidLimit(description: "default_page_size: 200 is outside the allowed range 1 to 100")) {
            _ = try limits.validated()
        }
        #expect(try ServiceLimits().validated() == ServiceLimits())
    }
}
