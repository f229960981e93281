import Testing
@testable import TallyCore

@Suite struct RangeTests {
    @Test func todayInUTC() throws {
        let range = try ResolvedRange(RangeQuery(preset: .today), nowMs: testNow)
        #expect(range.startMs == 1_700_006_400_000)
        #expect(range.endMs == testNow + 1)
        #expect(range.timeZone == "UTC")
    }

    @Test func allTimeBounds() throws {
        let range = try ResolvedRange(RangeQuery(preset: .allTime, timeZone: "Asia/Tokyo"), nowMs: testNow)
        #expect(range.startMs == 0)
        #expect(range.endMs == Int64.max)
        #expect(range.timeZone == "Asia/Tokyo")
    }

    @Test func berlinTodayOnShortDay() throws {
        // 2026-03-29 has 23 hours in Berlin; now is 12:00 local (+02:00), midnight was at +01:00.
        let range = try ResolvedRange(RangeQuery(preset: .today, timeZone: "Europe/Berlin"), nowMs: 1_774_778_400_000)
        #expect(range.startMs == 1_774_738_800_000)
        #expect(range.endMs == 1_774_778_400_001)
    }

    @Test func berlinLast7DaysAcrossSpringChange() throws {
        // Now 2026-03-30T12:00+02:00; seven days start at 2026-03-24T00:00+01:00.
        let range = try ResolvedRange(RangeQuery(preset: .last7Days, timeZone: "Europe/Berlin"), nowMs: 1_774_864_800_000)
        #expect(range.startMs == 1_774_306_800_000)
        #expect(range.endMs == 1_774_864_800_001)
        let today = try ResolvedRange(RangeQuery(preset: .today, timeZone: "Europe/Berlin"), nowMs: 1_774_864_800_000)
        #expect(today.startMs == 1_774_821_600_000)
    }

    @Test func berlinTodayOnLongDay() throws {
        // 2026-10-25 has 25 hours in Berlin; now is 18:00 local (+01:00), midnight was at +02:00.
        let range = try ResolvedRange(RangeQuery(preset: .today, timeZone: "Europe/Berlin"), nowMs: 1_792_947_600_000)
        #expect(range.startMs == 1_792_879_200_000)
        #expect(range.endMs - range.startMs == 68_400_001)
    }

    @Test func berlinLast30DaysAcrossAutumnChange() throws {
        // Now 2026-11-05T09:30+01:00; thirty days start at 2026-10-07T00:00+02:00.
        let range = try ResolvedRange(RangeQuery(preset: .last30Days, timeZone: "Europe/Berlin"), nowMs: 1_793_867_400_000)
        #expect(range.startMs == 1_791_324_000_000)
    }

    @Test func newYorkLast7Days() throws {
        // Spring: now 2026-03-10T12:00-04:00; start 2026-03-04T00:00-05:00.
        let spring = try ResolvedRange(RangeQuery(preset: .last7Days, timeZone: "America/New_York"), nowMs: 1_773_158_400_000)
        #expect(spring.startMs == 1_772_600_400_000)
        let today = try ResolvedRange(RangeQuery(preset: .today, timeZone: "America/New_York"), nowMs: 1_773_158_400_000)
        #expect(today.startMs == 1_773_115_200_000)
        // Autumn: now 2026-11-03T08:00-05:00; start 2026-10-28T00:00-04:00.
        let autumn = try ResolvedRange(RangeQuery(preset: .last7Days, timeZone: "America/New_York"), nowMs: 1_793_710_800_000)
        #expect(autumn.startMs == 1_793_160_000_000)
    }

    @Test func explicitRange() throws {
        let range = try ResolvedRange(RangeQuery(startMs: 5, endMs: 9), nowMs: testNow)
        #expect(range.startMs == 5)
        #expect(range.endMs == 9)
        #expect(throws: MeteringError(code: .invalidArgument, message: "range.end_ms: 4 is not after range.start_ms 5")) {
            try ResolvedRange(RangeQuery(startMs: 5, endMs: 4), nowMs: testNow)
        }
        #expect(throws: MeteringError(code: .invalidArgument,
                                      message: "range.start_ms: -5 is negative; explicit bounds are Unix milliseconds from 0")) {
            try ResolvedRange(RangeQuery(startMs: -5, endMs: 10), nowMs: testNow)
        }
        let fromZero = try ResolvedRange(RangeQuery(startMs: 0, endMs: 10), nowMs: testNow)
        #expect(fromZero.startMs == 0)
    }

    @Test func todayCountsRecordAtNow() async throws {
        try await withCore { core in
            _ = try await core.record(accountID: "big", records: [
                NewRecord(sessionID: "s", timestampMs: testNow, inputTokens: 1),
                NewRecord(sessionID: "s", timestampMs: 1_700_006_400_000, inputTokens: 10),
                NewRecord(sessionID: "s", timestampMs: 1_700_006_399_999, inputTokens: 100),
                NewRecord(sessionID: "s", timestampMs: testNow + 1, inputTokens: 1000),
            ], nowMs: testNow)
            let summary = try await core.summary(accountID: "big", range: RangeQuery(preset: .today), maxSessions: 0, nowMs: testNow)
            #expect(summary.inputTokens == 11)
            #expect(summary.records == 2)
        }
    }
}
