import Testing
@testable import TallyCore

@Suite struct QuotaTests {
    private let novemberMessageEnd = "the period ends 2023-12-01T00:00:00Z"

    @Test func tokenCapCrossingThenRejected() async throws {
        try await withCore { core in
            let first = try await core.record(accountID: "tiny", records: [
                NewRecord(sessionID: "s", inputTokens: 60),
                NewRecord(sessionID: "s", inputTokens: 30, outputTokens: 20),
                NewRecord(sessionID: "s", outputTokens: 1),
                NewRecord(sessionID: "s", decisions: 1),
            ], nowMs: testNow)
            #expect(first[0].isAccepted)
            #expect(first[1].isAccepted)
            #expect(first[2].rejection == MeteringError(code: .resourceExhausted, message: "token cap reached: 110 of 100 tokens used on plan \"tiny\"; \(novemberMessageEnd)"))
            // A record without tokens still passes while only tokens are exhausted.
            #expect(first[3].isAccepted)

            let status = try await core.quota(accountID: "tiny", sessionID: "s", atMs: 0, nowMs: testNow)
            #expect(status.resources == [
                ResourceUsage(resource: .tokens, used: 110, limit: 100),
                ResourceUsage(resource: .decisions, used: 1, limit: 10),
                ResourceUsage(resource: .sessions, used: 1, limit: 3),
            ])
            #expect(status.resources[0].remaining == 0)
            #expect(status.resources[0].exhausted)
            #expect(status.resources[1].remaining == 9)
            #expect(status.periodStartMs == 1_698_796_800_000)
            #expect(status.periodEndMs == novemberEndUTC)
            #expect(status.sessionAllowed == false)
            #expect(status.sessionDeniedReason == "token cap reached: 110 of 100 tokens used on plan \"tiny\"; \(novemberMessageEnd)")
        }
    }

    @Test func freePlanMessageFormatting() async throws {
        try await withCore { core in
            let outcomes = try await core.record(accountID: "acme", records: [
                NewRecord(sessionID: "s", inputTokens: 400_000, outputTokens: 100_000),
                NewRecord(sessionID: "s", inputTokens: 1),
            ], nowMs: testNow)
            #expect(outcomes[0].isAccepted)
            #expect(outcomes[1].rejection?.message == "token cap reached: 500,000 of 500,000 tokens used on plan \"free\"; \(novemberMessageEnd)")
        }
    }

    @Test func decisionCap() async throws {
        try await withCore { core in
            let outcomes = try await core.record(accountID: "tiny", records: [
                NewRecord(sessionID: "s", decisions: 9),
                NewRecord(sessionID: "s", decisions: 1),
                NewRecord(sessionID: "s", inputTokens: 1, decisions: 1),
                NewRecord(sessionID: "s", inputTokens: 1),
            ], nowMs: testNow)
            #expect(outcomes[0].isAccepted)
            #expect(outcomes[1].isAccepted)
            #expect(outcomes[2].rejection == MeteringError(code: .resourceExhausted, message: "decision cap reached: 10 of 10 decisions used on plan \"tiny\"; \(novemberMessageEnd)"))
            #expect(outcomes[3].isAccepted)
        }
    }

    @Test func sessionCap() async throws {
        try await withCore { core in
            let outcomes = try await core.record(accountID: "tiny", records: [
                NewRecord(sessionID: "s1", inputTokens: 1),
                NewRecord(sessionID: "s2", inputTokens: 1),
                NewRecord(sessionID: "s3"),
                NewRecord(sessionID: "s4"),
                NewRecord(sessionID: "s1", inputTokens: 1),
            ], nowMs: testNow)
            #expect(outcomes[2].isAccepted)
            #expect(outcomes[3].rejection == MeteringError(code: .resourceExhausted, message: "session cap reached: 3 of 3 sessions used on plan \"tiny\"; \(novemberMessageEnd)"))
            #expect(outcomes[4].isAccepted)
            let known = try await core.quota(accountID: "tiny", sessionID: "s2", atMs: 0, nowMs: testNow)
            #expect(known.sessionAllowed == true)
            #expect(known.sessionDeniedReason == "")
            let fresh = try await core.quota(accountID: "tiny", sessionID: "s9", atMs: 0, nowMs: testNow)
            #expect(fresh.sessionAllowed == false)
            #expect(fresh.sessionDeniedReason == "session cap reached: 3 of 3 sessions used on plan \"tiny\"; \(novemberMessageEnd)")
            let none = try await core.quota(accountID: "tiny", sessionID: nil, atMs: 0, nowMs: testNow)
            #expect(none.sessionAllowed == nil)
        }
    }

    @Test func periodRolloverInBerlin() async throws {
        try await withCore { core in
            let now: Int64 = 1_775_000_000_000
            let marchLate: Int64 = 1_774_992_600_000  // 2026-03-31T23:30+02:00
            let aprilEarly: Int64 = 1_774_996_200_000 // 2026-04-01T00:30+02:00, still March 31 in UTC
            let outcomes = try await core.record(accountID: "berlin", records: [
                NewRecord(sessionID: "s", timestampMs: marchLate, inputTokens: 100),
                NewRecord(sessionID: "s", timestampMs: aprilEarly, inputTokens: 100),
                NewRecord(sessionID: "s", timestampMs: marchLate + 1, inputTokens: 1),
            ], nowMs: now)
            #expect(outcomes[0].isAccepted)
            #expect(outcomes[1].isAccepted)
            #expect(outcomes[2].rejection?.message == "token cap reached: 100 of 100 tokens used on plan \"tiny\"; the period ends 2026-04-01T00:00:00+02:00")
            let march = try await core.quota(accountID: "berlin", sessionID: nil, atMs: marchLate, nowMs: now)
            #expect(march.periodStartMs == 1_772_319_600_000)
            #expect(march.periodEndMs == 1_774_994_400_000)
            #expect(march.timeZone == "Europe/Berlin")
            #expect(march.resources[0].used == 100)
            let april = try await core.quota(accountID: "berlin", sessionID: nil, atMs: 0, nowMs: now)
            #expect(april.periodStartMs == 1_774_994_400_000)
            #expect(april.resources[0].used == 100)
        }
    }

    @Test func concurrentRecordsNeverOvershootTwice() async throws {
        try await withCore(shards: 2) { core in
            let accepted = try await withThrowingTaskGroup(of: Int.self) { group in
                for task in 0 ..< 40 {
                    group.addTask {
                        var count = 0
                        for attempt in 0 ..< 20 {
                            let outcome = try await core.record(accountID: "acme", records: [
                                NewRecord(sessionID: "s\((task + attempt) % 10)", inputTokens: 999),
                            ], nowMs: testNow)
                            if outcome[0].isAccepted { count += 1 }
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            // ceil(500,000 / 999) = 501 records: the 501st crosses the cap, no other passes it.
            #expect(accepted == 501)
            let status = try await core.quota(accountID: "acme", sessionID: nil, atMs: 0, nowMs: testNow)
            #expect(status.resources[0].used == 500_499)
            #expect(status.notifications.map(\.thresholdPercent) == [75, 90, 100])
        }
    }
}
