import Testing
@testable import TallyCore

@Suite struct SummaryTests {
    @Test func sessionOrderingAndCap() async throws {
        try await withCore { core in
            _ = try await core.record(accountID: "big", records: [
                NewRecord(sessionID: "b", timestampMs: testNow - 10, inputTokens: 30, outputTokens: 20, decisions: 1),
                NewRecord(sessionID: "a", timestampMs: testNow - 9, inputTokens: 50, decisions: 2),
                NewRecord(sessionID: "c", timestampMs: testNow - 8, outputTokens: 70),
                NewRecord(sessionID: "d", timestampMs: testNow - 7, inputTokens: 1),
                NewRecord(sessionID: "c", timestampMs: testNow - 6, inputTokens: 5, decisions: 4),
            ], nowMs: testNow)
            let all = try await core.summary(accountID: "big", range: RangeQuery(preset: .allTime), maxSessions: 0, nowMs: testNow)
            #expect(all.sessions == [
                SessionTotals(sessionID: "c", inputTokens: 5, outputTokens: 70, totalTokens: 75, records: 2),
                SessionTotals(sessionID: "a", inputTokens: 50, outputTokens: 0, totalTokens: 50, records: 1),
                SessionTotals(sessionID: "b", inputTokens: 30, outputTokens: 20, totalTokens: 50, records: 1),
                SessionTotals(sessionID: "d", inputTokens: 1, outputTokens: 0, totalTokens: 1, records: 1),
            ])
            #expect(all.totalTokens == 176)
            #expect(all.decisions == 7)

            let capped = try await core.summary(accountID: "big", range: RangeQuery(preset: .allTime), maxSessions: 2, nowMs: testNow)
            #expect(capped.sessions.map(\.sessionID) == ["c", "a"])
            #expect(capped.totalTokens == 176)
            #expect(capped.inputTokens == 86)
            #expect(capped.outputTokens == 90)
            #expect(capped.decisions == 7)
            #expect(capped.records == 5)
            #expect(capped.sessionsUsed == 4)
            #expect(capped.startMs == 0)
            #expect(capped.endMs == Int64.max)
        }
    }

    @Test func explicitRangeScan() async throws {
        try await withCore { core in
            _ = try await core.record(accountID: "big", records: [
                NewRecord(sessionID: "a", timestampMs: 1000, inputTokens: 1),
                NewRecord(sessionID: "b", timestampMs: 2000, inputTokens: 2),
                NewRecord(sessionID: "a", timestampMs: 3000, inputTokens: 4),
                NewRecord(sessionID: "c", timestampMs: 4000, inputTokens: 8),
            ], nowMs: testNow)
            let summary = try await core.summary(accountID: "big", range: RangeQuery(startMs: 2000, endMs: 4000), maxSessions: 0, nowMs: testNow)
            #expect(summary.totalTokens == 6)
            #expect(summary.records == 2)
            #expect(summary.sessionsUsed == 2)
            #expect(summary.sessions.map(\.sessionID) == ["a", "b"])
            #expect(summary.timeZone == "UTC")
        }
    }

    @Test func distinctSessionsAcrossDays() async throws {
        try await withCore { core in
            let day: Int64 = 86_400_000
            _ = try await core.record(accountID: "big", records: [
                NewRecord(sessionID: "a", timestampMs: testNow - 3 * day, inputTokens: 1),
                NewRecord(sessionID: "a", timestampMs: testNow - 2 * day, inputTokens: 1),
                NewRecord(sessionID: "a", timestampMs: testNow - day, inputTokens: 1),
                NewRecord(sessionID: "b", timestampMs: testNow, inputTokens: 1),
                NewRecord(sessionID: "old", timestampMs: testNow - 40 * day, inputTokens: 1),
            ], nowMs: testNow)
            let week = try await core.summary(accountID: "big", range: RangeQuery(preset: .last7Days), maxSessions: 0, nowMs: testNow)
            #expect(week.sessionsUsed == 2)
            #expect(week.records == 4)
            let month = try await core.summary(accountID: "big", range: RangeQuery(preset: .last30Days), maxSessions: 0, nowMs: testNow)
            #expect(month.sessionsUsed == 2)
            let all = try await core.summary(accountID: "big", range: RangeQuery(preset: .allTime), maxSessions: 0, nowMs: testNow)
            #expect(all.sessionsUsed == 3)
            #expect(all.records == 5)
        }
    }
}
