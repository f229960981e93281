import Testing
@testable import TallyCore

@Suite struct ValidationTests {
    private func outcome(_ record: NewRecord, on core: MeteringCore) async throws -> RecordOutcome {
        try await core.record(accountID: "big", records: [record], nowMs: testNow)[0]
    }

    @Test func sessionIDLengthLimits() async throws {
        try await withCore { core in
            let atLimit = try await outcome(NewRecord(sessionID: String(repeating: "s", count: 128), inputTokens: 1), on: core)
            #expect(atLimit == .accepted(timestampMs: testNow, notifications: []))
            let over = try await outcome(NewRecord(sessionID: String(repeating: "s", count: 129)), on: core)
            #expect(over == .rejected(MeteringError(code: .invalidArgument, message: "records[0].session_id: 129 bytes is over the maximum of 128 bytes (max_session_id_bytes)")))
            let empty = try await outcome(NewRecord(sessionID: ""), on: core)
            #expect(empty == .rejected(MeteringError(code: .invalidArgument, message: "records[0].session_id: must not be empty (1 to 128 bytes)")))
            // Multi-byte characters count as UTF-8 bytes: 43 x 3 = 129.
            let multiByte = try await outcome(NewRecord(sessionID: String(repeating: "€", count: 43)), on: core)
            #expect(multiByte.rejection?.message == "records[0].session_id: 129 bytes is over the maximum of 128 bytes (max_session_id_bytes)")
        }
    }

    @Test func eventIDLengthLimits() async throws {
        try await withCore { core in
            let atLimit = try await outcome(NewRecord(eventID: String(repeating: "e", count: 128), sessionID: "s"), on: core)
            #expect(atLimit.isAccepted)
            let over = try await outcome(NewRecord(eventID: String(repeating: "e", count: 129), sessionID: "s"), on: core)
            #expect(over.rejection == MeteringError(code: .invalidArgument, message: "records[0].event_id: 129 bytes is over the maximum of 128 bytes (max_event_id_bytes)"))
        }
    }

    @Test func configuredIDLimits() async throws {
        try await withCore(limits: RecordLimits(maxSessionIDBytes: 8, maxEventIDBytes: 4)) { core in
            let atLimit = try await outcome(NewRecord(eventID: "eeee", sessionID: "ssssssss", inputTokens: 1), on: core)
            #expect(atLimit.isAccepted)
            let longSession = try await outcome(NewRecord(sessionID: "sssssssss"), on: core)
            #expect(longSession.rejection == MeteringError(code: .invalidArgument,
                                                           message: "records[0].session_id: 9 bytes is over the maximum of 8 bytes (max_session_id_bytes)"))
            let longEvent = try await outcome(NewRecord(eventID: "eeeee", sessionID: "s"), on: core)
            #expect(longEvent.rejection == MeteringError(code: .invalidArgument,
                                                         message: "records[0].event_id: 5 bytes is over the maximum of 4 bytes (max_event_id_bytes)"))
            let empty = try await outcome(NewRecord(sessionID: ""), on: core)
            #expect(empty.rejection?.message == "records[0].session_id: must not be empty (1 to 8 bytes)")
            let noEvent = try await outcome(NewRecord(sessionID: "s", outputTokens: 2), on: core)
            #expect(noEvent.isAccepted)
            let summary = try await core.summary(accountID: "big", range: RangeQuery(preset: .allTime), maxSessions: 0, nowMs: testNow)
            #expect(summary.records == 2)
            #expect(summary.totalTokens == 3)
        }
    }

    @Test func loweredIDLimitKeepsStoredRecords() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let longSession = String(repeating: "l", count: 100)
        let first = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory, shards: 2), logger: quietLogger())
        let stored = try await first.record(accountID: "big", records: [NewRecord(eventID: "e1", sessionID: longSession, inputTokens: 7)], nowMs: testNow)
        #expect(stored[0].isAccepted)
        await first.close()

        let lowered = RecordLimits(maxSessionIDBytes: 16, maxEventIDBytes: 16)
        let second = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory, shards: 2), limits: lowered,
                                                 logger: quietLogger())
        let page = try await second.listRecords(accountID: "big", range: RangeQuery(preset: .allTime), sessionID: longSession,
                                                pageSize: 0, pageToken: "", nowMs: testNow)
        #expect(page.records.map(\.sessionID) == [longSession])
        let quota = try await second.quota(accountID: "big", sessionID: longSession, atMs: 0, nowMs: testNow)
        #expect(quota.sessionAllowed == false)
        #expect(quota.sessionDeniedReason == "session_id: 100 bytes is over the maximum of 16 bytes (max_session_id_bytes)")
        let shortQuota = try await second.quota(accountID: "big", sessionID: "short", atMs: 0, nowMs: testNow)
        #expect(shortQuota.sessionAllowed == true)
        let again = try await second.record(accountID: "big", records: [NewRecord(eventID: "e2", sessionID: longSession, inputTokens: 1)], nowMs: testNow)
        #expect(again[0].rejection?.message == "records[0].session_id: 100 bytes is over the maximum of 16 bytes (max_session_id_bytes)")
        let summary = try await second.summary(accountID: "big", range: RangeQuery(preset: .allTime), maxSessions: 0, nowMs: testNow)
        #expect(summary.totalTokens == 7)
        await second.close()
    }

    @Test func recordLimitsOutsideRangeAreInvalid() async throws {
        let cases: [(RecordLimits, String)] = [
            (RecordLimits(maxSessionIDBytes: 0), "max_session_id_bytes: 0 is outside the allowed range 1 to 128"),
            (RecordLimits(maxSessionIDBytes: 129), "max_session_id_bytes: 129 is outside the allowed range 1 to 128"),
            (RecordLimits(maxEventIDBytes: 0), "max_event_id_bytes: 0 is outside the allowed range 1 to 128"),
            (RecordLimits(maxEventIDBytes: 200), "max_event_id_bytes: 200 is outside the allowed range 1 to 128"),
        ]
        for (limits, message) in cases {
            #expect(throws: MeteringError.invalidArgument(message)) { _ = try limits.validated() }
        }
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        await #expect(throws: MeteringError.invalidArgument("max_session_id_bytes: 0 is outside the allowed range 1 to 128")) {
            _ = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory, shards: 1),
                                            limits: RecordLimits(maxSessionIDBytes: 0), logger: quietLogger())
        }
    }

    @Test func sessionFilterOverMaximumIsInvalid() async throws {
        try await withCore { core in
            let filter = String(repeating: "f", count: 129)
            let message = "session_id: 129 bytes is over the maximum of 128 bytes"
            await #expect(throws: MeteringError.invalidArgument(message)) {
                _ = try await core.listRecords(accountID: "big", range: RangeQuery(preset: .allTime), sessionID: filter,
                                               pageSize: 0, pageToken: "", nowMs: testNow)
            }
            await #expect(throws: MeteringError.invalidArgument(message)) {
                _ = try await core.quota(accountID: "big", sessionID: filter, atMs: 0, nowMs: testNow)
            }
        }
    }

    @Test func countLimits() async throws {
        try await withCore { core in
            let max = UInt64(UInt32.max)
            let atLimit = try await outcome(NewRecord(sessionID: "s", inputTokens: max, outputTokens: max, decisions: max), on: core)
            #expect(atLimit.isAccepted)
            let input = try await outcome(NewRecord(sessionID: "s", inputTokens: max + 1), on: core)
            #expect(input.rejection?.message == "records[0].input_tokens: 4294967296 is over the maximum of 4294967295")
            let output = try await outcome(NewRecord(sessionID: "s", outputTokens: max + 1), on: core)
            #expect(output.rejection?.message == "records[0].output_tokens: 4294967296 is over the maximum of 4294967295")
            let decisions = try await outcome(NewRecord(sessionID: "s", decisions: max + 1), on: core)
            #expect(decisions.rejection?.message == "records[0].decisions: 4294967296 is over the maximum of 4294967295")
        }
    }

    @Test func timestampLimits() async throws {
        try await withCore { core in
            let future = try await outcome(NewRecord(sessionID: "s", timestampMs: testNow + 300_000), on: core)
            #expect(future == .accepted(timestampMs: testNow + 300_000, notifications: []))
            let tooFar = try await outcome(NewRecord(sessionID: "s", timestampMs: testNow + 300_001), on: core)
            #expect(tooFar.rejection?.message == "records[0].timestamp_ms: 1700049900001 is more than 300000 ms after the server time 1700049600000 (maximum 1700049900000)")
            let negative = try await outcome(NewRecord(sessionID: "s", timestampMs: -1), on: core)
            #expect(negative.rejection?.message == "records[0].timestamp_ms: -1 is negative; use 0 for the receive time or Unix milliseconds")
            let zero = try await outcome(NewRecord(sessionID: "s", timestampMs: 0), on: core)
            #expect(zero == .accepted(timestampMs: testNow, notifications: []))
            let one = try await outcome(NewRecord(sessionID: "s", timestampMs: 1), on: core)
            #expect(one == .accepted(timestampMs: 1, notifications: []))
        }
    }

    @Test func badRecordLeavesOthersInBatch() async throws {
        try await withCore { core in
            let outcomes = try await core.record(accountID: "big", records: [
                NewRecord(sessionID: "a", inputTokens: 5),
                NewRecord(sessionID: String(repeating: "x", count: 130), inputTokens: 7),
                NewRecord(sessionID: "b", outputTokens: 3),
            ], nowMs: testNow)
            #expect(outcomes[0].isAccepted)
            #expect(outcomes[1].rejection?.message == "records[1].session_id: 130 bytes is over the maximum of 128 bytes (max_session_id_bytes)")
            #expect(outcomes[2].isAccepted)
            let summary = try await core.summary(accountID: "big", range: RangeQuery(preset: .allTime), maxSessions: 0, nowMs: testNow)
            #expect(summary.records == 2)
            #expect(summary.totalTokens == 8)
            #expect(summary.sessionsUsed == 2)
        }
    }

    @Test func wholeRequestErrors() async throws {
        try await withCore { core in
            await #expect(throws: MeteringError(code: .notFound, message: "account \"nope\" not found")) {
                try await core.record(accountID: "nope", records: [NewRecord(sessionID: "s")], nowMs: testNow)
            }
            let atLimit = Array(repeating: NewRecord(sessionID: "s", inputTokens: 1), count: 10_000)
            let outcomes = try await core.record(accountID: "big", records: atLimit, nowMs: testNow)
            #expect(outcomes.count == 10_000)
            await #expect(throws: MeteringError(code: .invalidArgument, message: "records: 10001 records is over the maximum of 10000 per batch")) {
                try await core.record(accountID: "big", records: atLimit + [NewRecord(sessionID: "s")], nowMs: testNow)
            }
            await #expect(throws: MeteringError(code: .invalidArgument, message: "range.time_zone: unknown time zone \"Mars/Base\"; use an IANA name such as Europe/Berlin")) {
                try await core.summary(accountID: "big", range: RangeQuery(preset: .today, timeZone: "Mars/Base"), maxSessions: 0, nowMs: testNow)
            }
            await #expect(throws: MeteringError(code: .invalidArgument, message: "range.end_ms: 10 is not after range.start_ms 10")) {
                try await core.summary(accountID: "big", range: RangeQuery(startMs: 10, endMs: 10), maxSessions: 0, nowMs: testNow)
            }
            await #expect(throws: MeteringError(code: .invalidArgument, message: "page_size: 1001 is over the maximum of 1000")) {
                try await core.listRecords(accountID: "big", range: RangeQuery(preset: .allTime), sessionID: nil, pageSize: 1001, pageToken: "", nowMs: testNow)
            }
            await #expect(throws: MeteringError(code: .invalidArgument, message: "page_token: \"garbage\" is not a token returned by this query; start again with an empty token")) {
                try await core.listRecords(accountID: "big", range: RangeQuery(preset: .allTime), sessionID: nil, pageSize: 10, pageToken: "garbage", nowMs: testNow)
            }
            await #expect(throws: MeteringError(code: .invalidArgument, message: "max_sessions: 1001 is outside 0...1000")) {
                try await core.summary(accountID: "big", range: RangeQuery(preset: .allTime), maxSessions: 1001, nowMs: testNow)
            }
            let page = try await core.listRecords(accountID: "big", range: RangeQuery(preset: .allTime), sessionID: nil, pageSize: 0, pageToken: "", nowMs: testNow)
            #expect(page.records.count == 100)
        }
    }

    @Test func configurationValidation() throws {
        var configuration = testConfiguration()
        configuration.accounts["x"] = AccountSettings(id: "x", plan: "gold")
        #expect(throws: MeteringError(code: .invalidArgument, message: "accounts[\"x\"].plan: unknown plan \"gold\"; known plans: free, tiny, unlimited")) {
            try configuration.validated()
        }
        configuration.accounts["x"] = AccountSettings(id: "x", plan: "free", billingTimeZone: "Mars/Base")
        #expect(throws: MeteringError(code: .invalidArgument, message: "accounts[\"x\"].billing_time_zone: unknown time zone \"Mars/Base\"; use an IANA name such as Europe/Berlin")) {
            try configuration.validated()
        }
        configuration.accounts["x"] = AccountSettings(id: "x", plan: "free", notificationThresholds: [0])
        #expect(throws: MeteringError(code: .invalidArgument, message: "accounts[\"x\"].notification_thresholds: 0 is outside 1...100 percent")) {
            try configuration.validated()
        }
        #expect(MeteringConfiguration.freePlan == Plan(name: "free", tokens: 500_000, decisions: 5_000, sessions: 100))
    }
}
