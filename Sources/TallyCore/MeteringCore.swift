import Foundation
import Synchronization

/// The metering core: routes each call to the shard actor that owns the account and persists accepted records.
public final class MeteringCore: Sendable {
    private let shards: [Shard]
    private let persistence: Persistence
    private let configuration: Mutex<MeteringConfiguration>
    private let logger: Logger
    private let snapshotTask: Mutex<Task<Void, Never>?> = Mutex(nil)
    private let closed = Mutex(false)

    private init(shards: [Shard], persistence: Persistence, configuration: MeteringConfiguration, logger: Logger) {
        self.shards = shards
        self.persistence = persistence
        self.configuration = Mutex(configuration)
        self.logger = logger
    }

    /// Opens (creating if needed) the data directory, recovers snapshot + log, starts the log writer.
    ///
    /// `limits` applies to records that arrive from now on; recovery loads
    /// stored records whatever their id lengths.
    public static func open(configuration: MeteringConfiguration, storage: StorageOptions, limits: RecordLimits = RecordLimits(),
                            logger: Logger) async throws -> MeteringCore {
        let configuration = try configuration.validated()
        let limits = try limits.validated()
        guard storage.shardCount >= 1 else {
            throw MeteringError.invalidArgument("storage.shard_count: \(storage.shardCount) is below the minimum of 1")
        }
        do {
            try FileManager.default.createDirectory(atPath: storage.directory, withIntermediateDirectories: true)
        } catch {
            throw MeteringError.unavailable("creating data directory \(storage.directory) failed: \(error.localizedDescription)")
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: storage.directory)) ?? [] where name.hasSuffix(".tmp") {
            try? FileManager.default.removeItem(atPath: storage.directory + "/" + name)
        }

        let started = ContinuousClock.now
        let recovery = Recovery(
            directory: storage.directory,
            mode: .startup(recoverFromCorruption: storage.recoverFromCorruption),
            logger: logger,
            makeAccount: { Shard.makeAccount($0, configuration: configuration) },
            include: { _ in true }
        )
        let recovered = try recovery.run()
        logger.info("recovered metering state", metadata: [
            "directory": storage.directory, "accounts": "\(recovered.accounts.count)",
            "records": "\(recovered.recordsLoaded)", "last_sequence": "\(recovered.lastSequence)",
            "duration_ms": Self.milliseconds(ContinuousClock.now - started),
        ])

        let writer: LogWriter
        do {
            writer = try LogWriter(directory: storage.directory, firstSequence: recovered.lastSequence + 1, mode: storage.durability, fileSystem: storage.fileSystem, logger: logger)
        } catch {
            throw MeteringError.unavailable("starting the write-ahead log failed: \(error)")
        }
        let persistence = Persistence(directory: storage.directory, shardCount: storage.shardCount, logger: logger, writer: writer)
        var perShard = Array(repeating: [String: AccountState](), count: storage.shardCount)
        for (id, account) in recovered.accounts {
            perShard[Shard.shardIndex(of: id, shardCount: storage.shardCount)][id] = account
        }
        let shards = perShard.enumerated().map { index, accounts in
            Shard(index: index, accounts: accounts, configuration: configuration, persistence: persistence, limits: limits)
        }
        let core = MeteringCore(shards: shards, persistence: persistence, configuration: configuration, logger: logger)
        core.startSnapshots(every: storage.snapshotInterval)
        return core
    }

    private func startSnapshots(every interval: Duration) {
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let core = self else { return }
                do {
                    try await core.writeSnapshot()
                } catch {
                    core.logger.error("periodic snapshot failed", metadata: ["error": "\(error)"])
                }
            }
        }
        snapshotTask.withLock { $0 = task }
    }

    private func shard(for accountID: String) -> Shard {
        shards[Shard.shardIndex(of: accountID, shardCount: shards.count)]
    }

    /// Returns whether `accountID` is configured.
    public func accountExists(_ accountID: String) -> Bool {
        configuration.withLock { $0.accounts[accountID] != nil }
    }

    /// Validates, deduplicates, quota-checks and stores a batch; returns one outcome per record.
    ///
    /// Throws notFound for an unknown account and invalidArgument for a batch over 10,000 records.
    /// Accepted records are in the write-ahead log when this returns.
    public func record(accountID: String, records: [NewRecord], nowMs: Int64) async throws(MeteringError) -> [RecordOutcome] {
        try await shard(for: accountID).record(accountID: accountID, records: records, nowMs: nowMs)
    }

    /// Records several requests, possibly for different accounts, with one hop per shard.
    ///
    /// Requests are grouped by shard. The shards run in parallel, and each applies its requests in input
    /// order and waits for the log once. While no log write fails, every request gets the result that
    /// separate `record(accountID:records:nowMs:)` calls in the same order would return, at the same index.
    /// When a log write fails, the shard's requests whose entries were queued with it get unavailable for
    /// their accepted records, where serial calls made after the failure might have succeeded.
    public func record(batch requests: [(accountID: String, records: [NewRecord])], nowMs: Int64) async -> [Result<[RecordOutcome], MeteringError>] {
        var positionsByShard: [Int: [Int]] = [:]
        for (position, request) in requests.enumerated() {
            positionsByShard[Shard.shardIndex(of: request.accountID, shardCount: shards.count), default: []].append(position)
        }
        if positionsByShard.count == 1, let (shardIndex, _) = positionsByShard.first {
            return await shards[shardIndex].record(batch: requests, nowMs: nowMs)
        }
        var results = [Result<[RecordOutcome], MeteringError>](repeating: .success([]), count: requests.count)
        await withTaskGroup(of: ([Int], [Result<[RecordOutcome], MeteringError>]).self) { group in
            for (shardIndex, positions) in positionsByShard {
                let shard = shards[shardIndex]
                let shardRequests = positions.map { requests[$0] }
                group.addTask {
                    (positions, await shard.record(batch: shardRequests, nowMs: nowMs))
                }
            }
            for await (positions, shardResults) in group {
                for (position, result) in zip(positions, shardResults) {
                    results[position] = result
                }
            }
        }
        return results
    }

    /// Returns usage totals and per-session rows over `range`; `maxSessions` 0 means 1,000.
    public func summary(accountID: String, range: RangeQuery, maxSessions: Int, nowMs: Int64) async throws(MeteringError) -> UsageSummary {
        if maxSessions < 0 || maxSessions > Limits.maxSummarySessions {
            throw .invalidArgument("max_sessions: \(maxSessions) is outside 0...\(Limits.maxSummarySessions)")
        }
        return try await shard(for: accountID).summary(accountID: accountID, range: range, maxSessions: maxSessions == 0 ? Limits.maxSummarySessions : maxSessions, nowMs: nowMs)
    }

    /// Returns one page of records newest first; pass the previous page's token to continue, "" to start.
    public func listRecords(accountID: String, range: RangeQuery, sessionID: String?, pageSize: Int, pageToken: String, nowMs: Int64) async throws(MeteringError) -> RecordPage {
        if pageSize < 0 || pageSize > Limits.maxPageSize {
            throw .invalidArgument("page_size: \(pageSize) is over the maximum of \(Limits.maxPageSize)")
        }
        try Self.checkSessionFilter(sessionID)
        return try await shard(for: accountID).listRecords(accountID: accountID, range: range, sessionID: sessionID, pageSize: pageSize == 0 ? Limits.defaultPageSize : pageSize, pageToken: pageToken, nowMs: nowMs)
    }

    /// Returns quota usage in the billing period containing `atMs` (0 means `nowMs`).
    public func quota(accountID: String, sessionID: String?, atMs: Int64, nowMs: Int64) async throws(MeteringError) -> QuotaStatus {
        try Self.checkSessionFilter(sessionID)
        return try await shard(for: accountID).quota(accountID: accountID, sessionID: sessionID, atMs: atMs, nowMs: nowMs)
    }

    /// Formats a duration as milliseconds with one decimal, such as "1234.5".
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = seconds * 10_000 + attoseconds / 100_000_000_000_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Rejects a query's session filter when it is longer than any stored session id.
    private static func checkSessionFilter(_ sessionID: String?) throws(MeteringError) {
        guard let bytes = sessionID?.utf8.count, bytes > Limits.maxSessionIDBytes else { return }
        throw .invalidArgument("session_id: \(bytes) bytes is over the maximum of \(Limits.maxSessionIDBytes) bytes")
    }

    /// Replaces plans and accounts, for example on SIGHUP; stored records and notifications stay.
    public func reload(configuration newConfiguration: MeteringConfiguration) async throws(MeteringError) {
        let validated = try newConfiguration.validated()
        configuration.withLock { $0 = validated }
        for shard in shards {
            await shard.reconfigure(validated)
        }
        logger.debug("configuration reloaded", metadata: ["accounts": "\(validated.accounts.count)", "plans": "\(validated.plans.count)"])
    }

    /// Writes a snapshot of all accounts and deletes the log segments and snapshots it covers.
    public func writeSnapshot() async throws(MeteringError) {
        let failuresBefore = persistence.writer.health.failures
        let sequence = try await persistence.writer.rotate().get()
        var parts: [(bytes: [UInt8], count: Int)] = []
        for shard in shards {
            parts.append(try await shard.snapshotData())
        }
        // Every entry a shard applied must be durable before a snapshot may contain it.
        await persistence.writer.barrier()
        let health = persistence.writer.health
        if health.failures != failuresBefore || health.poisonedShards > 0 {
            throw .unavailable("snapshot skipped: a write-ahead log write failed while it was taken")
        }
        try persistence.writeSnapshot(sequence: sequence, parts: parts)
        logger.info("snapshot written", metadata: ["sequence": "\(sequence)", "accounts": "\(parts.reduce(0) { $0 + $1.count })"])
    }

    /// Writes a final snapshot and stops the log writer; later writes fail with unavailable.
    ///
    /// NOTE: a core released without `close()` keeps its log writer thread and open segment until the process exits.
    public func close() async {
        let alreadyClosed = closed.withLock { state in
            defer { state = true }
            return state
        }
        guard !alreadyClosed else { return }
        snapshotTask.withLock { $0?.cancel() }
        do {
            try await writeSnapshot()
        } catch {
            logger.error("final snapshot failed; the log still contains every accepted record", metadata: ["error": "\(error)"])
        }
        await persistence.writer.stop()
    }
}

extension MeteringCore {
    /// Stops the log writer without a snapshot, leaving the directory as a crash after the last acknowledged write would.
    func stopWithoutSnapshot() async {
        closed.withLock { $0 = true }
        snapshotTask.withLock { $0?.cancel() }
        await persistence.writer.stop()
    }
}
