import TallyClient
import TallyWire

/// Compares what a restarted server stores with the client's ledger.
struct StoreVerifier {
    let client: TallyClient
    let ledger: UsageLedger

    /// Resends every in-doubt record that has an event id until the server answers for each.
    func retryInDoubt() async throws {
        for (account, records) in ledger.retryableInDoubt() {
            var start = 0
            while start < records.count {
                let chunk = Array(records[start ..< min(start + 200, records.count)])
                let response = try await client.recordUsage(RecordUsageRequest(accountID: account, records: chunk))
                ledger.applyRetryReply(account: account, records: chunk, results: response.results)
                start += chunk.count
            }
        }
    }

    /// Reads every stored record of `account` with ListRecords, newest first.
    func listAll(_ account: String) async throws -> [StoredRecord] {
        var records: [StoredRecord] = []
        var token = ""
        repeat {
            let page = try await client.listRecords(ListRecordsRequest(
                accountID: account, range: TimeRange(preset: .allTime), pageSize: 1_000, pageToken: token))
            records.append(contentsOf: page.records)
            token = page.nextPageToken
        } while !token.isEmpty
        return records
    }

    /// Checks every account; returns the number of stored records it checked.
    func verify() async throws -> Int {
        var checked = 0
        for account in TestConfiguration.allAccounts {
            checked += try await verify(account)
        }
        return checked
    }

    private func verify(_ account: String) async throws -> Int {
        let stored = try await listAll(account)
        var byTimestamp: [Int64: [StoredRecord]] = [:]
        for record in stored {
            byTimestamp[record.timestampMs, default: []].append(record)
        }
        let entries = ledger.entries(of: account)
        for (timestamp, copies) in byTimestamp where entries[timestamp] == nil {
            ledger.report("\(account) @\(timestamp): \(copies.count) stored record(s) that were never sent")
        }

        var expected = Totals()
        for (timestamp, entry) in entries {
            let copies = byTimestamp[timestamp] ?? []
            for copy in copies where !Self.matches(copy, entry.record) {
                ledger.report("\(account) @\(timestamp): stored \(copy) differs from sent \(entry.record)")
            }
            switch entry.state {
            case .stored:
                if copies.count != 1 {
                    ledger.report("\(account) @\(timestamp): acknowledged record stored \(copies.count) times")
                }
            case .absent:
                if !copies.isEmpty {
                    ledger.report("\(account) @\(timestamp): rejected or lost record stored \(copies.count) times")
                }
            case .inDoubt:
                if copies.count > 1 {
                    ledger.report("\(account) @\(timestamp): unacknowledged record stored \(copies.count) times")
                }
                if !entry.record.eventID.isEmpty {
                    ledger.report("\(account) @\(timestamp): in-doubt record with event id \(entry.record.eventID) was not retried")
                }
                ledger.settle(account: account, timestamp: timestamp, present: !copies.isEmpty)
            case .inFlight:
                ledger.report("\(account) @\(timestamp): record still in flight during verification")
            }
            if !copies.isEmpty {
                expected.add(entry.record)
            }
        }
        try await verifyTotals(account, expected: expected)
        return entries.values.filter { $0.state == .stored }.count
    }

    private func verifyTotals(_ account: String, expected: Totals) async throws {
        let summary = try await client.getSummary(GetSummaryRequest(accountID: account, range: TimeRange(preset: .allTime)))
        let observed = [summary.records, summary.inputTokens, summary.outputTokens, summary.decisions, summary.sessionsUsed]
        let wanted = [expected.records, expected.inputTokens, expected.outputTokens, expected.decisions, UInt64(expected.sessions.count)]
        if observed != wanted {
            ledger.report("\(account): summary [records, input, output, decisions, sessions] is \(observed), ledger says \(wanted)")
        }

        let quota = try await client.getQuota(GetQuotaRequest(accountID: account))
        func used(_ resource: Resource) -> UInt64? {
            quota.resources.first { $0.resource == resource }?.used
        }
        let quotaObserved = [used(.tokens), used(.decisions), used(.sessions)]
        let quotaWanted: [UInt64?] = [expected.inputTokens + expected.outputTokens, expected.decisions, UInt64(expected.sessions.count)]
        if quotaObserved != quotaWanted {
            ledger.report("\(account): quota used [tokens, decisions, sessions] is \(quotaObserved), ledger says \(quotaWanted)")
        }
        if account == TestConfiguration.freeAccount {
            // A record is accepted while usage is below the cap, so tokens may end up to one record (3,000 tokens) over it.
            let limits = [used(.tokens).map { $0 < TestConfiguration.freeTokenCap + 3_000 }, used(.sessions).map { $0 <= TestConfiguration.freeSessionCap }]
            if limits != [true, true] {
                ledger.report("\(account): quota usage \(quotaObserved) exceeds the free plan caps")
            }
        }
    }

    private static func matches(_ stored: StoredRecord, _ sent: UsageRecord) -> Bool {
        stored.sessionID == sent.sessionID && stored.inputTokens == sent.inputTokens && stored.outputTokens == sent.outputTokens
            && stored.decisions == sent.decisions && stored.eventID == sent.eventID
    }
}

/// Sums of the records that must be stored.
struct Totals {
    var records: UInt64 = 0
    var inputTokens: UInt64 = 0
    var outputTokens: UInt64 = 0
    var decisions: UInt64 = 0
    var sessions: Set<String> = []

    mutating func add(_ record: UsageRecord) {
        records += 1
        inputTokens += record.inputTokens
        outputTokens += record.outputTokens
        decisions += record.decisions
        sessions.insert(record.sessionID)
    }
}
