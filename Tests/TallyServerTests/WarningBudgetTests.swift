import Foundation
import Testing
import TallyClient
import TallyCore
@testable import TallyServer
import TallyWire

@Suite struct WarningBudgetTests {
    @Test func allowanceThenCount() {
        var budget = WarningBudget(perSecond: 3)
        let first = (0..<5).map { _ in budget.spend(nowMs: 10_000) }
        #expect(first.map(\.allowed) == [true, true, true, false, false])
        #expect(first.map(\.suppressedEarlier) == [0, 0, 0, 0, 0])
        #expect(budget.spend(nowMs: 10_999).allowed == false)
        #expect(budget.takeSuppressed(nowMs: 10_999) == 0)

        // The next second starts with a fresh allowance and reports the three.
        let next = budget.spend(nowMs: 11_000)
        #expect(next.allowed == true)
        #expect(next.suppressedEarlier == 3)
        #expect(budget.takeSuppressed(nowMs: 12_500) == 0)
    }

    @Test func sweepReportsSuppressedCount() {
        var budget = WarningBudget(perSecond: 1)
        #expect(budget.spend(nowMs: 0).allowed == true)
        #expect(budget.spend(nowMs: 1).allowed == false)
        #expect(budget.spend(nowMs: 2).allowed == false)
        #expect(budget.takeSuppressed(nowMs: 500) == 0)
        #expect(budget.takeSuppressed(nowMs: 1_000) == 2)
        #expect(budget.takeSuppressed(nowMs: 3_000) == 0)
    }

    @Test func badConnectionsDoNotFloodTheLog() async throws {
        var transport = TransportOptions()
        transport.loopCount = 1
        let sink = LogSink.capturing()
        let server = try await TestServer(transport: transport, logSink: sink)
        for _ in 0..<60 {
            let raw = try RawConnection(address: server.address)
            // A zero length field: one INVALID_ARGUMENT reply, then close.
            try raw.send([0, 0, 0, 0])
            #expect(await raw.drainUntilClosed() == 1)
        }
        // Every bad connection is either logged or counted in a report.
        @Sendable func accounted() -> Int {
            let lines = sink.lines
            let logged = lines.filter { $0.contains("invalid frame; closing the connection") }.count
            let counted = lines.filter { $0.contains("connection warnings suppressed") }
                .compactMap { line in line.split(separator: " ").first { $0.hasPrefix("suppressed=") }.flatMap { Int($0.dropFirst(11)) } }
                .reduce(0, +)
            return logged + counted
        }
        #expect(await server.eventually { accounted() == 60 })
        let logged = sink.lines.filter { $0.contains("invalid frame; closing the connection") }.count
        #expect(logged <= 60)
        #expect(logged >= 20)
        let client = try await server.client()
        #expect(try await client.getQuota(GetQuotaRequest()).plan == "free")
        client.close()
        await server.shutdown()
    }
}
