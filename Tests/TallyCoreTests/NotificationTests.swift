import Testing
@testable import TallyCore

@Suite struct NotificationTests {
    private let novemberStart: Int64 = 1_698_796_800_000

    @Test func eachThresholdOnce() async throws {
        try await withCore { core in
            let outcomes = try await core.record(accountID: "tiny", records: [
                NewRecord(sessionID: "s", timestampMs: testNow - 4, inputTokens: 74),
                NewRecord(sessionID: "s", timestampMs: testNow - 3, inputTokens: 1),
                NewRecord(sessionID: "s", timestampMs: testNow - 2, inputTokens: 20),
                NewRecord(sessionID: "s", timestampMs: testNow - 1, inputTokens: 10),
            ], nowMs: testNow)
            #expect(outcomes[0].firedNotifications == [])
            let seventyFive = QuotaNotification(resource: .tokens, thresholdPercent: 75, used: 75, limit: 100, crossedAtMs: testNow - 3, periodStartMs: novemberStart)
            let ninety = QuotaNotification(resource: .tokens, thresholdPercent: 90, used: 95, limit: 100, crossedAtMs: testNow - 2, periodStartMs: novemberStart)
            let hundred = QuotaNotification(resource: .tokens, thresholdPercent: 100, used: 105, limit: 100, crossedAtMs: testNow - 1, periodStartMs: novemberStart)
            #expect(outcomes[1].firedNotifications == [seventyFive])
            #expect(outcomes[2].firedNotifications == [ninety])
            #expect(outcomes[3].firedNotifications == [hundred])
            let status = try await core.quota(accountID: "tiny", sessionID: nil, atMs: 0, nowMs: testNow)
            #expect(status.notifications == [seventyFive, ninety, hundred])
        }
    }

    @Test func oneRecordCrossesSeveral() async throws {
        try await withCore { core in
            let outcomes = try await core.record(accountID: "tiny", records: [
                NewRecord(sessionID: "s1", inputTokens: 100, decisions: 9),
                NewRecord(sessionID: "s2"),
                NewRecord(sessionID: "s3"),
            ], nowMs: testNow)
            let first = outcomes[0].firedNotifications
            #expect(first.map(\.resource) == [.tokens, .tokens, .tokens, .decisions, .decisions])
            #expect(first.map(\.thresholdPercent) == [75, 90, 100, 75, 90])
            #expect(first.map(\.used) == [100, 100, 100, 9, 9])
            // Sessions: 1 of 3 and 2 of 3 stay below 75 percent; the third session crosses all three.
            #expect(outcomes[1].firedNotifications == [])
            #expect(outcomes[2].firedNotifications.map(\.thresholdPercent) == [75, 90, 100])
            #expect(outcomes[2].firedNotifications.map(\.resource) == [.sessions, .sessions, .sessions])
            let status = try await core.quota(accountID: "tiny", sessionID: nil, atMs: 0, nowMs: testNow)
            #expect(status.notifications.count == 8)
        }
    }

    @Test func oldPeriodRecords() async throws {
        try await withCore { core in
            let october: Int64 = 1_697_000_000_000
            let octoberStart: Int64 = 1_696_118_400_000
            let outcomes = try await core.record(accountID: "tiny", records: [
                NewRecord(sessionID: "s", timestampMs: testNow, inputTokens: 100),
                NewRecord(sessionID: "s", timestampMs: october, inputTokens: 80),
                NewRecord(sessionID: "s", timestampMs: october + 1, inputTokens: 5),
            ], nowMs: testNow)
            #expect(outcomes[0].firedNotifications.count == 3)
            #expect(outcomes[1].firedNotifications == [
                QuotaNotification(resource: .tokens, thresholdPercent: 75, used: 80, limit: 100, crossedAtMs: october, periodStartMs: octoberStart),
            ])
            #expect(outcomes[2].firedNotifications.map(\.thresholdPercent) == [])
            let old = try await core.quota(accountID: "tiny", sessionID: nil, atMs: october, nowMs: testNow)
            #expect(old.periodStartMs == octoberStart)
            #expect(old.resources[0].used == 85)
            #expect(old.notifications.map(\.thresholdPercent) == [75])
            let current = try await core.quota(accountID: "tiny", sessionID: nil, atMs: 0, nowMs: testNow)
            #expect(current.notifications.map(\.thresholdPercent) == [75, 90, 100])
        }
    }
}
