import Testing
@testable import TallyCore

/// Summaries over ranges that cut through hours must equal a plain sum over
/// the records, whether they come from hourly sums, edge scans or both.
@Suite struct HourlySummaryTests {
    /// Records spread over three days, in a fixed pseudo-random order.
    static func records() -> [NewRecord] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: UInt64) -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (state >> 33) % bound
        }
        let start = testNow - 3 * 86_400_000
        return (0..<3_000).map { index in
            NewRecord(eventID: "e\(index)", sessionID: "s\(next(40))",
                      timestampMs: start + Int64(next(3 * 86_400_000)),
                      inputTokens: next(1_000), outputTokens: next(300), decisions: next(3))
        }
    }

    /// The summary computed by hand: totals and per-session rows, best first.
    static func expected(_ records: [NewRecord], from startMs: Int64, to endMs: Int64) -> (input: UInt64, output: UInt64, count: UInt64, rows: [SessionTotals]) {
        var bySession: [String: SessionTotals] = [:]
        var input: UInt64 = 0
        var output: UInt64 = 0
        var count: UInt64 = 0
        for record in records where record.timestampMs >= startMs && record.timestampMs < endMs {
            input += record.inputTokens
            output += record.outputTokens
            count += 1
            var row = bySession[record.sessionID] ?? SessionTotals(sessionID: record.sessionID, inputTokens: 0, outputTokens: 0, totalTokens: 0, records: 0)
            row.inputTokens += record.inputTokens
            row.outputTokens += record.outputTokens
            row.totalTokens += record.inputTokens + record.outputTokens
            row.records += 1
            bySession[record.sessionID] = row
        }
        let rows = bySession.values.sorted {
            $0.totalTokens != $1.totalTokens ? $0.totalTokens > $1.totalTokens : $0.sessionID < $1.sessionID
        }
        return (input, output, count, rows)
    }

    @Test func rangesAcrossHoursMatchPlainSums() async throws {
        let records = Self.records()
        try await withCore { core in
            for chunk in stride(from: 0, to: records.count, by: 500) {
                _ = try await core.record(accountID: "big", records: Array(records[chunk..<min(chunk + 500, records.count)]), nowMs: testNow)
            }
            let base = testNow - 3 * 86_400_000
            let bounds: [(Int64, Int64)] = [
                (base, testNow),                                  // every record
                (base + 1, testNow - 1),                          // just inside both ends
                (base + 1_800_000, base + 5_400_000),             // half an hour to an hour and a half
                (base + 3_599_999, base + 7_200_001),             // one whole hour plus a millisecond each side
                (base + 17 * 60_000, base + 2 * 86_400_000 + 11), // many whole hours, ragged ends
                (base + 1_000, base + 2_000),                     // inside one hour
                (base + 86_400_000, base + 2 * 86_400_000),       // exactly one UTC day
            ]
            for (start, end) in bounds {
                let summary = try await core.summary(accountID: "big", range: RangeQuery(preset: nil, startMs: start, endMs: end),
                                                     maxSessions: 0, nowMs: testNow)
                let want = Self.expected(records, from: start, to: end)
                #expect(summary.inputTokens == want.input, "range \(start)..<\(end)")
                #expect(summary.outputTokens == want.output, "range \(start)..<\(end)")
                #expect(summary.records == want.count, "range \(start)..<\(end)")
                #expect(summary.sessionsUsed == UInt64(want.rows.count), "range \(start)..<\(end)")
                #expect(summary.sessions == want.rows, "range \(start)..<\(end)")
            }
        }
    }

    @Test(arguments: [true, false])
    func rangesMatchAfterReopen(cleanClose: Bool) async throws {
        let records = Self.records()
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let first = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        _ = try await first.record(accountID: "big", records: records, nowMs: testNow)
        if cleanClose {
            await first.close()
        } else {
            await first.stopWithoutSnapshot()
        }
        // Reopening rebuilds the hourly sums from a snapshot or from the log.
        let core = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        let base = testNow - 3 * 86_400_000
        for (start, end) in [(base + 1_800_000, base + 30 * 3_600_000 + 7), (base + 5, testNow - 5)] {
            let summary = try await core.summary(accountID: "big", range: RangeQuery(preset: nil, startMs: start, endMs: end),
                                                 maxSessions: 0, nowMs: testNow)
            let want = Self.expected(records, from: start, to: end)
            #expect(summary.inputTokens == want.input)
            #expect(summary.records == want.count)
            #expect(summary.sessions == want.rows)
        }
        await core.close()
    }

    @Test func cappedRankingKeepsTiesBySessionID() async throws {
        try await withCore { core in
            let tied = (0..<30).map { index in
                NewRecord(sessionID: "t\(String(index).count == 1 ? "0" : "")\(index)", timestampMs: testNow - 1_000, inputTokens: 10)
            }
            _ = try await core.record(accountID: "big", records: tied + [NewRecord(sessionID: "zz", timestampMs: testNow - 1, inputTokens: 11)],
                                      nowMs: testNow)
            let summary = try await core.summary(accountID: "big", range: RangeQuery(preset: .allTime), maxSessions: 4, nowMs: testNow)
            #expect(summary.sessions.map(\.sessionID) == ["zz", "t00", "t01", "t02"])
            #expect(summary.sessionsUsed == 31)
            #expect(summary.inputTokens == 311)
        }
    }
}
