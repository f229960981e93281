import Foundation
import Testing
@testable import TallyCore

@Suite("Bulk loading of account state")
struct BulkLoadTests {
    /// Records spread over three months and out of time order, some with event ids.
    static func records() -> [(timestamp: Int64, session: String, input: UInt32, output: UInt32, decisions: UInt32, event: String)] {
        var generated: [(Int64, String, UInt32, UInt32, UInt32, String)] = []
        var state: UInt64 = 12345
        for index in 0 ..< 3_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let offset = Int64(state >> 33) % (90 * 86_400_000)
            let event = index % 3 == 0 ? "" : "event-\(index)"
            generated.append((novemberEndUTC - 45 * 86_400_000 + offset, "s\(state % 17)", UInt32(index % 50), UInt32(index % 7), UInt32(index % 2), event))
        }
        return generated
    }

    @Test("bulk load equals applying records one by one")
    func bulkEqualsIncremental() throws {
        let settings = AccountSettings(id: "berlin", plan: "tiny", billingTimeZone: "Europe/Berlin")
        let plan = Plan(name: "tiny", tokens: 100, decisions: 10, sessions: 3)
        var incremental = AccountState(settings: settings, plan: plan)
        var bulk = AccountState(settings: settings, plan: plan)
        let notification = QuotaNotification(resource: .tokens, thresholdPercent: 75, used: 80, limit: 100, crossedAtMs: testNow, periodStartMs: 1_698_793_200_000)
        for record in Self.records() {
            incremental.apply(timestamp: record.timestamp, sessionID: record.session, input: record.input, output: record.output, decisions: record.decisions, eventID: record.event)
            var event = record.event
            event.withUTF8 { utf8 in
                let session = bulk.internSession(record.session)
                bulk.bulkAppend(timestamp: record.timestamp, session: session, input: record.input, output: record.output, decisions: record.decisions, eventID: UnsafeRawBufferPointer(utf8))
            }
        }
        incremental.addNotification(notification)
        bulk.addNotification(notification)
        bulk.finishBulkLoad()

        #expect(bulk.columns.byTime == incremental.columns.byTime)
        #expect(bulk.events.count == incremental.events.count)
        for index in stride(from: 1, to: 3_000, by: 7) where index % 3 != 0 {
            #expect(bulk.findEvent("event-\(index)") == index)
        }
        #expect(bulk.findEvent("event-3") == nil)
        let allTime = try ResolvedRange(RangeQuery(preset: .allTime), nowMs: testNow)
        #expect(bulk.summary(range: allTime, maxSessions: 1_000) == incremental.summary(range: allTime, maxSessions: 1_000))
        let november = try ResolvedRange(RangeQuery(startMs: 1_698_796_800_000, endMs: novemberEndUTC), nowMs: testNow)
        #expect(bulk.summary(range: november, maxSessions: 5) == incremental.summary(range: november, maxSessions: 5))
        #expect(bulk.periods.keys.sorted() == incremental.periods.keys.sorted())
        for (start, usage) in incremental.periods {
            #expect(bulk.periods[start]?.tokens == usage.tokens)
            #expect(bulk.periods[start]?.decisions == usage.decisions)
            #expect(bulk.periods[start]?.sessions == usage.sessions)
            #expect(bulk.periods[start]?.notifications == usage.notifications)
        }
        let page = bulk.page(startMs: 0, endMs: Int64.max, sessionID: "s3", pageSize: 50, cursor: nil)
        let expectedPage = incremental.page(startMs: 0, endMs: Int64.max, sessionID: "s3", pageSize: 50, cursor: nil)
        #expect(page.0 == expectedPage.0)
        #expect(bulk.columns.eventBytes.capacity <= bulk.columns.eventBytes.count + bulk.columns.eventBytes.count / 8)
    }

    @Test("log payload load keeps each record's session")
    func payloadSessions() throws {
        let sessions = ["a", "a", "b", "a", "b", "b", "c", "a"]
        let records = sessions.enumerated().map { index, session in
            AcceptedRecord(timestampMs: testNow + Int64(index), sessionID: session, inputTokens: UInt32(index), outputTokens: 1, decisions: 0, eventID: index % 2 == 0 ? "e\(index)" : "")
        }
        let payload = UsageBatch(accountID: "big", records: records, notifications: []).encoded()
        var account = AccountState(settings: AccountSettings(id: "big", plan: "unlimited"), plan: Plan(name: "unlimited"))
        let loaded = try payload.withUnsafeBytes { bytes in
            try Result { () throws(ByteReaderError) in try UsageBatch.load(bytes, into: &account) }.get()
        }
        account.finishBulkLoad()

        #expect(loaded == sessions.count)
        #expect(account.sessionNames == ["a", "b", "c"])
        #expect(account.columns.sessions == [0, 0, 1, 0, 1, 1, 2, 0])
        #expect((0 ..< sessions.count).map { account.storedUsage($0).eventID } == ["e0", "", "e2", "", "e4", "", "e6", ""])
        #expect(account.findEvent("e4") == 4)
        #expect(account.sessionTotals.map(\.records) == [4, 3, 1])
    }
}
