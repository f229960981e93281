import Testing
@testable import TallyCore

@Suite struct DeduplicationTests {
    @Test func sameContentIsDuplicate() async throws {
        try await withCore { core in
            let record = NewRecord(eventID: "evt-1", sessionID: "s", timestampMs: testNow - 50, inputTokens: 5)
            let first = try await core.record(accountID: "big", records: [record], nowMs: testNow)
            #expect(first == [.accepted(timestampMs: testNow - 50, notifications: [])])
            let again = try await core.record(accountID: "big", records: [record], nowMs: testNow + 1000)
            #expect(again == [.duplicate(timestampMs: testNow - 50)])
            // A zero timestamp matches whatever was stored.
            var unstamped = record
            unstamped.timestampMs = 0
            let third = try await core.record(accountID: "big", records: [unstamped], nowMs: testNow + 2000)
            #expect(third == [.duplicate(timestampMs: testNow - 50)])
            let summary = try await core.summary(accountID: "big", range: RangeQuery(preset: .allTime), maxSessions: 0, nowMs: testNow)
            #expect(summary.records == 1)
            #expect(summary.totalTokens == 5)
        }
    }

    @Test func differentContentIsAlreadyExists() async throws {
        try await withCore { core in
            _ = try await core.record(accountID: "big", records: [NewRecord(eventID: "evt-1", sessionID: "s", timestampMs: 1000, inputTokens: 5)], nowMs: testNow)
            let changes = [
                NewRecord(eventID: "evt-1", sessionID: "other", timestampMs: 1000, inputTokens: 5),
                NewRecord(eventID: "evt-1", sessionID: "s", timestampMs: 1000, inputTokens: 6),
                NewRecord(eventID: "evt-1", sessionID: "s", timestampMs: 1000, inputTokens: 5, outputTokens: 1),
                NewRecord(eventID: "evt-1", sessionID: "s", timestampMs: 1000, inputTokens: 5, decisions: 1),
                NewRecord(eventID: "evt-1", sessionID: "s", timestampMs: 1001, inputTokens: 5),
            ]
            let outcomes = try await core.record(accountID: "big", records: changes, nowMs: testNow)
            for (index, outcome) in outcomes.enumerated() {
                #expect(outcome.rejection?.code == .alreadyExists)
                #expect(outcome.rejection?.message == "records[\(index)].event_id: event \"evt-1\" was already recorded with different content (session \"s\", timestamp 1000, input 5, output 0, decisions 0)")
            }
            let summary = try await core.summary(accountID: "big", range: RangeQuery(preset: .allTime), maxSessions: 0, nowMs: testNow)
            #expect(summary.records == 1)
        }
    }

    @Test func duplicatesWithinOneBatch() async throws {
        try await withCore { core in
            let outcomes = try await core.record(accountID: "big", records: [
                NewRecord(eventID: "a", sessionID: "s", inputTokens: 1),
                NewRecord(eventID: "a", sessionID: "s", inputTokens: 1),
                NewRecord(eventID: "a", sessionID: "s", inputTokens: 2),
                NewRecord(eventID: "", sessionID: "s", inputTokens: 1),
                NewRecord(eventID: "", sessionID: "s", inputTokens: 1),
            ], nowMs: testNow)
            #expect(outcomes[0] == .accepted(timestampMs: testNow, notifications: []))
            #expect(outcomes[1] == .duplicate(timestampMs: testNow))
            #expect(outcomes[2].rejection?.code == .alreadyExists)
            #expect(outcomes[3].isAccepted)
            #expect(outcomes[4].isAccepted)
        }
    }

    @Test func rejectedRecordIsEvaluatedAgainLater() async throws {
        try await withCore { core in
            let record = NewRecord(eventID: "x", sessionID: "s", inputTokens: 101)
            _ = try await core.record(accountID: "tiny", records: [NewRecord(sessionID: "s", inputTokens: 100)], nowMs: testNow)
            let rejected = try await core.record(accountID: "tiny", records: [record], nowMs: testNow)
            #expect(rejected[0].rejection?.code == .resourceExhausted)
            // Next month the same event id is accepted, because the rejection stored nothing.
            let december = novemberEndUTC + 1000
            let retried = try await core.record(accountID: "tiny", records: [record], nowMs: december)
            #expect(retried == [.accepted(timestampMs: december, notifications: retried[0].firedNotifications)])
            #expect(retried[0].firedNotifications.count == 3)
        }
    }

    @Test func manyEventIDsStayUnique() async throws {
        try await withCore { core in
            let records = (0 ..< 5000).map { NewRecord(eventID: "event-\($0)", sessionID: "s", inputTokens: 1) }
            let first = try await core.record(accountID: "big", records: records, nowMs: testNow)
            #expect(first.filter(\.isAccepted).count == 5000)
            let second = try await core.record(accountID: "big", records: records, nowMs: testNow)
            #expect(second.allSatisfy { $0 == .duplicate(timestampMs: testNow) })
        }
    }
}
