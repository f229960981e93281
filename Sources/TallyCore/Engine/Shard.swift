/// An actor owning every account whose id hashes to it, so one account's state is never touched concurrently.
actor Shard {
    let index: Int
    private var accounts: [String: AccountState]
    private var configuration: MeteringConfiguration
    private let persistence: Persistence
    private let limits: RecordLimits
    /// Set when a log write for this shard failed and memory may contain records that are not on disk.
    private var needsReload = false
    /// Log entries of this shard enqueued and not yet reported durable or failed.
    private var entriesInFlight = 0
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    init(index: Int, accounts: [String: AccountState], configuration: MeteringConfiguration, persistence: Persistence, limits: RecordLimits) {
        self.index = index
        self.accounts = accounts
        self.configuration = configuration
        self.persistence = persistence
        self.limits = limits
    }

    /// Returns the stable shard of `accountID`: FNV-1a 64 of its UTF-8 bytes, modulo the shard count.
    static func shardIndex(of accountID: String, shardCount: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in accountID.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(shardCount))
    }

    /// Returns a fresh account state for `accountID` from the configuration; unknown accounts get no caps.
    static func makeAccount(_ accountID: String, configuration: MeteringConfiguration) -> AccountState {
        if let settings = configuration.accounts[accountID], let plan = configuration.plans[settings.plan] {
            return AccountState(settings: settings, plan: plan)
        }
        return AccountState(settings: AccountSettings(id: accountID, plan: ""), plan: Plan(name: ""))
    }

    private func accountIndex(_ accountID: String) throws(MeteringError) -> Dictionary<String, AccountState>.Index {
        guard configuration.accounts[accountID] != nil else {
            throw .notFound("account \"\(accountID)\" not found")
        }
        if let position = accounts.index(forKey: accountID) {
            return position
        }
        accounts[accountID] = Self.makeAccount(accountID, configuration: configuration)
        return accounts.index(forKey: accountID)!
    }

    func record(accountID: String, records: [NewRecord], nowMs: Int64) async throws(MeteringError) -> [RecordOutcome] {
        try await record(batch: [(accountID, records)], nowMs: nowMs)[0].get()
    }

    /// Applies several record requests in order, then waits once for the log entries they wrote.
    ///
    /// Each request becomes its own log entry, exactly as separate `record` calls would; the results are in input order.
    func record(batch requests: [(accountID: String, records: [NewRecord])], nowMs: Int64) async -> [Result<[RecordOutcome], MeteringError>] {
        if persistence.writer.isPoisoned(shard: index) {
            // Another call's write failed and its caller has not resumed yet; reload before applying.
            needsReload = true
        }
        do {
            try await reloadIfNeeded()
        } catch {
            return Array(repeating: .failure(error), count: requests.count)
        }
        var staged: [Result<StagedRequest, MeteringError>] = []
        staged.reserveCapacity(requests.count)
        for request in requests {
            do {
                staged.append(.success(try stage(accountID: request.accountID, records: request.records, nowMs: nowMs)))
            } catch {
                staged.append(.failure(error))
            }
        }

        // The actor serves other calls while the log writer makes the entries durable.
        var failures: [Int: MeteringError] = [:]
        for (position, request) in staged.enumerated() {
            guard case let .success(request) = request, let ticket = request.ticket else { continue }
            let result = await ticket.completion.wait()
            finishEntry()
            if case let .failure(error) = result {
                failures[position] = error
            }
        }
        if !failures.isEmpty {
            needsReload = true
            try? await reloadIfNeeded()
        }
        return staged.enumerated().map { position, request in
            request.map { request in
                guard let error = failures[position] else { return request.outcomes }
                return request.outcomes.map { outcome in
                    if case .accepted = outcome { return .rejected(error) }
                    return outcome
                }
            }
        }
    }

    /// Outcomes of one request applied in memory, and the log entry holding its accepted records.
    private struct StagedRequest {
        var outcomes: [RecordOutcome]
        var ticket: WriteTicket?
    }

    /// Validates and applies one request in memory and queues its accepted records for the log.
    private func stage(accountID: String, records: [NewRecord], nowMs: Int64) throws(MeteringError) -> StagedRequest {
        if records.count > Limits.maxRecordsPerBatch {
            throw .invalidArgument("records: \(records.count) records is over the maximum of \(Limits.maxRecordsPerBatch) per batch")
        }
        let position = try accountIndex(accountID)
        var outcomes: [RecordOutcome] = []
        outcomes.reserveCapacity(records.count)
        var accepted: [AcceptedRecord] = []
        var fired: [QuotaNotification] = []
        for (offset, record) in records.enumerated() {
            let (outcome, stored) = accounts.values[position].process(record, position: offset, limits: limits, nowMs: nowMs)
            outcomes.append(outcome)
            if let stored {
                accepted.append(stored)
            }
            if case let .accepted(_, notifications) = outcome {
                fired.append(contentsOf: notifications)
            }
        }
        guard !accepted.isEmpty else { return StagedRequest(outcomes: outcomes, ticket: nil) }

        let payload = UsageBatch(accountID: accountID, records: accepted, notifications: fired).encoded()
        let ticket = persistence.writer.enqueue(shard: index, type: .usageBatch, payload: payload)
        if ticket.sequence != 0 {
            accounts.values[position].lastAppliedSequence = ticket.sequence
        }
        entriesInFlight += 1
        return StagedRequest(outcomes: outcomes, ticket: ticket)
    }

    /// Counts one log entry of this shard as settled and wakes a reload waiting for all of them.
    private func finishEntry() {
        entriesInFlight -= 1
        if entriesInFlight == 0 {
            let waiters = drainWaiters
            drainWaiters = []
            for waiter in waiters {
                waiter.resume()
            }
        }
    }

    /// Reloads from disk after a failed write, once no entry of this shard is in flight.
    ///
    /// Waiting for in-flight entries matters: they fail too (the writer rejects a failed shard's entries
    /// until it reloads), so afterwards the files contain exactly this shard's durable entries.
    private func reloadIfNeeded() async throws(MeteringError) {
        while needsReload {
            if entriesInFlight > 0 {
                await withCheckedContinuation { drainWaiters.append($0) }
                continue
            }
            try reloadFromDisk()
        }
    }

    /// Replaces this shard's accounts with what the snapshot and log on disk contain.
    private func reloadFromDisk() throws(MeteringError) {
        let configuration = self.configuration
        let shardCount = persistence.shardCount
        let index = self.index
        let result = try persistence.loadLive(
            makeAccount: { Self.makeAccount($0, configuration: configuration) },
            include: { Self.shardIndex(of: $0, shardCount: shardCount) == index }
        )
        accounts = result.accounts
        needsReload = false
        persistence.writer.clearPoison(shard: index)
        persistence.logger.notice("shard reloaded its state from disk after a failed log write", metadata: ["shard": "\(index)", "accounts": "\(accounts.count)"])
    }

    private func readableAccount(_ accountID: String) async throws(MeteringError) -> AccountState {
        try? await reloadIfNeeded()
        let position = try accountIndex(accountID)
        return accounts.values[position]
    }

    func summary(accountID: String, range: RangeQuery, maxSessions: Int, nowMs: Int64) async throws(MeteringError) -> UsageSummary {
        let resolved = try ResolvedRange(range, nowMs: nowMs)
        return try await readableAccount(accountID).summary(range: resolved, maxSessions: maxSessions)
    }

    func listRecords(accountID: String, range: RangeQuery, sessionID: String?, pageSize: Int, pageToken: String, nowMs: Int64) async throws(MeteringError) -> RecordPage {
        let account = try await readableAccount(accountID)
        let check = PageToken.queryCheck(accountID: accountID, range: range, sessionID: sessionID)
        var startMs: Int64
        var endMs: Int64
        var cursor: (timestamp: Int64, index: UInt32)?
        if pageToken.isEmpty {
            let resolved = try ResolvedRange(range, nowMs: nowMs)
            startMs = resolved.startMs
            endMs = resolved.endMs
        } else {
            let token = try PageToken(decoding: pageToken, expectedCheck: check)
            startMs = token.startMs
            endMs = token.endMs
            cursor = (token.timestampMs, token.index)
        }
        let (records, last) = account.page(startMs: startMs, endMs: endMs, sessionID: sessionID, pageSize: pageSize, cursor: cursor)
        var next = ""
        if let last {
            next = PageToken(startMs: startMs, endMs: endMs, timestampMs: last.0, index: last.1, queryCheck: check).encoded()
        }
        return RecordPage(records: records, nextPageToken: next, startMs: startMs, endMs: endMs)
    }

    func quota(accountID: String, sessionID: String?, atMs: Int64, nowMs: Int64) async throws(MeteringError) -> QuotaStatus {
        try? await reloadIfNeeded()
        let position = try accountIndex(accountID)
        var status = accounts.values[position].quotaStatus(sessionID: sessionID, atMs: atMs == 0 ? nowMs : atMs, nowMs: nowMs)
        // A session stored under a higher id limit can still be queried, but
        // no new record of it would be accepted.
        if let bytes = sessionID?.utf8.count, let problem = limits.sessionIDProblem(bytes: bytes) {
            status.sessionAllowed = false
            status.sessionDeniedReason = problem
        }
        return status
    }

    /// Applies new plans and account settings; stored records and notifications stay.
    func reconfigure(_ newConfiguration: MeteringConfiguration) {
        configuration = newConfiguration
        for key in Array(accounts.keys) {
            guard let settings = newConfiguration.accounts[key], let plan = newConfiguration.plans[settings.plan] else { continue }
            accounts[key]!.update(settings: settings, plan: plan)
        }
    }

    /// Returns this shard's accounts encoded for a snapshot and their count; fails while a reload is due.
    func snapshotData() throws(MeteringError) -> (bytes: [UInt8], count: Int) {
        if needsReload || persistence.writer.isPoisoned(shard: index) {
            throw .unavailable("snapshot skipped: shard \(index) is reloading after a failed log write")
        }
        var bytes: [UInt8] = []
        for key in accounts.keys.sorted() {
            SnapshotCodec.append(accounts[key]!, to: &bytes)
        }
        return (bytes, accounts.count)
    }
}
