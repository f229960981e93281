import Testing
@testable import TallyCore

@Suite struct ListRecordsTests {
    private func walk(_ core: MeteringCore, range: RangeQuery, session: String? = nil, pageSize: Int, between: ((Int) async throws -> Void)? = nil) async throws -> [StoredUsage] {
        var token = ""
        var all: [StoredUsage] = []
        var pageNumber = 0
        repeat {
            let page = try await core.listRecords(accountID: "big", range: range, sessionID: session, pageSize: pageSize, pageToken: token, nowMs: testNow)
            #expect(page.records.count <= pageSize)
            all += page.records
            token = page.nextPageToken
            pageNumber += 1
            try await between?(pageNumber)
        } while !token.isEmpty
        return all
    }

    @Test func newestFirstWithSharedMilliseconds() async throws {
        try await withCore { core in
            var records: [NewRecord] = []
            for index in 0 ..< 250 {
                // Five timestamps, 50 records each, submitted out of order.
                let timestamp = testNow - Int64((index * 7) % 5) * 1000
                records.append(NewRecord(eventID: "e\(index)", sessionID: "s\(index % 3)", timestampMs: timestamp, inputTokens: UInt64(index)))
            }
            _ = try await core.record(accountID: "big", records: records, nowMs: testNow)
            let listed = try await walk(core, range: RangeQuery(preset: .allTime), pageSize: 7)
            #expect(listed.count == 250)
            #expect(Set(listed.map(\.eventID)).count == 250)
            // Newest first; within a millisecond the later insertion comes first.
            let expected = records.enumerated().sorted { left, right in
                left.element.timestampMs != right.element.timestampMs ? left.element.timestampMs > right.element.timestampMs : left.offset > right.offset
            }.map(\.element.eventID)
            #expect(listed.map(\.eventID) == expected)
        }
    }

    @Test func insertsBetweenPages() async throws {
        try await withCore { core in
            let base = (0 ..< 100).map { NewRecord(eventID: "old\($0)", sessionID: "s", timestampMs: testNow - 5000, inputTokens: 1) }
            _ = try await core.record(accountID: "big", records: base, nowMs: testNow)
            let range = RangeQuery(preset: .allTime)
            let listed = try await walk(core, range: range, pageSize: 30) { page in
                // Same millisecond as the walked records (keys after the cursor) and newer records.
                _ = try await core.record(accountID: "big", records: [
                    NewRecord(eventID: "same\(page)", sessionID: "s", timestampMs: testNow - 5000, inputTokens: 1),
                    NewRecord(eventID: "new\(page)", sessionID: "s", timestampMs: testNow, inputTokens: 1),
                ], nowMs: testNow)
            }
            #expect(listed.count == 100)
            #expect(Set(listed.map(\.eventID)) == Set((0 ..< 100).map { "old\($0)" }))
        }
    }

    @Test func sessionFilterAndRange() async throws {
        try await withCore { core in
            let records = (0 ..< 40).map { NewRecord(sessionID: $0 % 2 == 0 ? "even" : "odd", timestampMs: 1000 + Int64($0), inputTokens: UInt64($0)) }
            _ = try await core.record(accountID: "big", records: records, nowMs: testNow)
            let even = try await walk(core, range: RangeQuery(startMs: 1010, endMs: 1030), session: "even", pageSize: 3)
            #expect(even.map(\.inputTokens) == [28, 26, 24, 22, 20, 18, 16, 14, 12, 10])
            let missing = try await walk(core, range: RangeQuery(preset: .allTime), session: "nobody", pageSize: 3)
            #expect(missing.isEmpty)
        }
    }

    @Test func tokenBoundToQuery() async throws {
        try await withCore { core in
            _ = try await core.record(accountID: "big", records: (0 ..< 5).map { NewRecord(sessionID: "s", timestampMs: 1000 + Int64($0)) }, nowMs: testNow)
            let page = try await core.listRecords(accountID: "big", range: RangeQuery(preset: .allTime), sessionID: nil, pageSize: 2, pageToken: "", nowMs: testNow)
            #expect(page.records.map(\.timestampMs) == [1004, 1003])
            await #expect(throws: MeteringError.self) {
                try await core.listRecords(accountID: "big", range: RangeQuery(preset: .allTime), sessionID: "s", pageSize: 2, pageToken: page.nextPageToken, nowMs: testNow)
            }
            let second = try await core.listRecords(accountID: "big", range: RangeQuery(preset: .allTime), sessionID: nil, pageSize: 2, pageToken: page.nextPageToken, nowMs: testNow)
            #expect(second.records.map(\.timestampMs) == [1002, 1001])
            let last = try await core.listRecords(accountID: "big", range: RangeQuery(preset: .allTime), sessionID: nil, pageSize: 2, pageToken: second.nextPageToken, nowMs: testNow)
            #expect(last.records.map(\.timestampMs) == [1000])
            #expect(last.nextPageToken == "")
        }
    }
}
