import Testing
@testable import TallyCore

@Suite struct ConfigurationReloadTests {
    @Test func planChangeKeepsUsage() async throws {
        try await withCore { core in
            #expect(core.accountExists("tiny"))
            #expect(!core.accountExists("later"))
            _ = try await core.record(accountID: "tiny", records: [NewRecord(sessionID: "s", inputTokens: 100)], nowMs: testNow)
            let blocked = try await core.record(accountID: "tiny", records: [NewRecord(sessionID: "s", inputTokens: 1)], nowMs: testNow)
            #expect(blocked[0].rejection?.code == .resourceExhausted)

            var configuration = testConfiguration()
            configuration.accounts["tiny"]?.plan = "free"
            configuration.accounts["later"] = AccountSettings(id: "later", plan: "free")
            try await core.reload(configuration: configuration)
            #expect(core.accountExists("later"))

            let allowed = try await core.record(accountID: "tiny", records: [NewRecord(sessionID: "s", inputTokens: 1)], nowMs: testNow)
            #expect(allowed[0].isAccepted)
            let status = try await core.quota(accountID: "tiny", sessionID: nil, atMs: 0, nowMs: testNow)
            #expect(status.plan == "free")
            #expect(status.resources[0] == ResourceUsage(resource: .tokens, used: 101, limit: 500_000))
            // Notifications fired under the old plan stay in the period.
            #expect(status.notifications.map(\.thresholdPercent) == [75, 90, 100])
        }
    }

    @Test func invalidReloadKeepsConfiguration() async throws {
        try await withCore { core in
            var configuration = testConfiguration()
            configuration.accounts["tiny"]?.plan = "gold"
            await #expect(throws: MeteringError(code: .invalidArgument, message: "accounts[\"tiny\"].plan: unknown plan \"gold\"; known plans: free, tiny, unlimited")) {
                try await core.reload(configuration: configuration)
            }
            let status = try await core.quota(accountID: "tiny", sessionID: nil, atMs: 0, nowMs: testNow)
            #expect(status.plan == "tiny")
        }
    }

    @Test func billingZoneChangeRegroupsPeriods() async throws {
        try await withCore { core in
            let now: Int64 = 1_775_000_000_000
            let aprilInBerlin: Int64 = 1_774_996_200_000 // 2026-03-31T22:30Z
            _ = try await core.record(accountID: "tiny", records: [NewRecord(sessionID: "s", timestampMs: aprilInBerlin, inputTokens: 40)], nowMs: now)
            let utc = try await core.quota(accountID: "tiny", sessionID: nil, atMs: aprilInBerlin, nowMs: now)
            #expect(utc.periodStartMs == 1_772_323_200_000)
            var configuration = testConfiguration()
            configuration.accounts["tiny"]?.billingTimeZone = "Europe/Berlin"
            try await core.reload(configuration: configuration)
            let berlin = try await core.quota(accountID: "tiny", sessionID: nil, atMs: aprilInBerlin, nowMs: now)
            #expect(berlin.periodStartMs == 1_774_994_400_000)
            #expect(berlin.resources[0].used == 40)
        }
    }
}
