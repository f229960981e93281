import Glibc
import TallyCore
import TallyWire

/// The RPC handlers: each takes a decoded request and the authenticated
/// caller and returns a decoded reply, so any transport can carry them.
public struct MeteringService: Sendable {
    public static let protocolVersion: UInt32 = 1
    public static let serverVersion = "tallyd/1.0.0"

    let core: MeteringCore
    let keys: KeyStore
    let limits: ServiceLimits
    /// Unix milliseconds now; tests fix it.
    let clock: @Sendable () -> Int64

    public init(core: MeteringCore, keys: KeyStore, limits: ServiceLimits = ServiceLimits(),
                clock: @escaping @Sendable () -> Int64 = MeteringService.systemClock) {
        self.core = core
        self.keys = keys
        self.limits = limits
        self.clock = clock
    }

    /// Unix milliseconds from the system clock.
    public static func systemClock() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// Checks the protocol version and the key of a connection's first frame.
    public func hello(_ request: HelloRequest) throws(RPCError) -> (HelloResponse, Caller) {
        guard request.protocolVersion == Self.protocolVersion else {
            throw RPCError(code: .failedPrecondition,
                           message: "protocol_version \(request.protocolVersion) is not supported; this server speaks version \(Self.protocolVersion)")
        }
        guard request.apiKey.utf8.count <= KeyStore.maxKeyBytes else {
            throw RPCError(code: .unauthenticated,
                           message: "api_key is \(request.apiKey.utf8.count) bytes, over the maximum of \(KeyStore.maxKeyBytes)")
        }
        guard let caller = keys.authenticate(key: request.apiKey) else {
            let problem = request.apiKey.isEmpty ? "api_key is missing" : "api_key is not valid"
            throw RPCError(code: .unauthenticated, message: "\(problem); pass the key this server's configuration lists")
        }
        let response = HelloResponse(
            protocolVersion: Self.protocolVersion,
            serverVersion: Self.serverVersion,
            accountID: caller.role == .agent || caller.role == .admin ? (caller.account ?? "") : "",
            role: caller.role.wireRole,
            limits: limits.wireLimits
        )
        return (response, caller)
    }

    public func recordUsage(_ request: RecordUsageRequest, caller: Caller) async throws(RPCError) -> RecordUsageResponse {
        let prepared = try prepareRecordUsage(request, caller: caller)
        let outcomes: [RecordOutcome]
        do {
            outcomes = try await core.record(accountID: prepared.account, records: prepared.records, nowMs: clock())
        } catch {
            throw RPCError(error)
        }
        return finishRecordUsage(prepared, outcomes: outcomes)
    }

    /// Records several requests, possibly of different callers and accounts,
    /// with one core call: one hop and one durability wait per shard. Results
    /// come back in request order and equal those of the requests run one by one.
    public func recordUsage(batch: [(request: RecordUsageRequest, caller: Caller)]) async -> [Result<RecordUsageResponse, RPCError>] {
        var results = [Result<RecordUsageResponse, RPCError>](repeating: .failure(RPCError(code: .internal, message: "not processed")),
                                                              count: batch.count)
        var prepared: [(position: Int, prepared: PreparedRecordUsage)] = []
        for (position, item) in batch.enumerated() {
            do throws(RPCError) {
                prepared.append((position, try prepareRecordUsage(item.request, caller: item.caller)))
            } catch {
                results[position] = .failure(error)
            }
        }
        guard !prepared.isEmpty else { return results }
        let outcomes = await core.record(batch: prepared.map { ($0.prepared.account, $0.prepared.records) }, nowMs: clock())
        for (item, outcome) in zip(prepared, outcomes) {
            switch outcome {
            case .success(let recordOutcomes):
                results[item.position] = .success(finishRecordUsage(item.prepared, outcomes: recordOutcomes))
            case .failure(let error):
                results[item.position] = .failure(RPCError(error))
            }
        }
        return results
    }

    /// A RecordUsage request whose caller may write the account, converted for the core.
    struct PreparedRecordUsage: Sendable {
        var account: String
        var records: [NewRecord]
        var request: RecordUsageRequest
    }

    func prepareRecordUsage(_ request: RecordUsageRequest, caller: Caller) throws(RPCError) -> PreparedRecordUsage {
        let account = try resolveAccount(request.accountID, caller: caller, access: .write)
        guard request.records.count <= limits.maxBatchRecords else {
            throw RPCError(code: .invalidArgument,
                           message: "records: \(request.records.count) records is over the maximum of \(limits.maxBatchRecords) per request (max_batch_records)")
        }
        let records = request.records.map { record in
            NewRecord(eventID: record.eventID, sessionID: record.sessionID, timestampMs: record.timestampMs,
                      inputTokens: record.inputTokens, outputTokens: record.outputTokens, decisions: record.decisions)
        }
        return PreparedRecordUsage(account: account, records: records, request: request)
    }

    func finishRecordUsage(_ prepared: PreparedRecordUsage, outcomes: [RecordOutcome]) -> RecordUsageResponse {
        var results = outcomes.map(RecordResult.init(outcome:))
        let records = prepared.request.records
        for index in results.indices where index < records.count && results[index].status != .ok {
            results[index].message = Self.explainNegativeCount(results[index].message, record: records[index], index: index)
        }
        return RecordUsageResponse(results: results)
    }

    /// Adds a hint to a count rejection whose value has the top bit set: a
    /// client that sends a negative int64 in a uint64 field, such as -1, sends
    /// the same bits as 18446744073709551615.
    static func explainNegativeCount(_ message: String, record: UsageRecord, index: Int) -> String {
        let counts: [(field: String, value: UInt64)] = [
            ("input_tokens", record.inputTokens), ("output_tokens", record.outputTokens), ("decisions", record.decisions),
        ]
        for count in counts where count.value > UInt64(Int64.max) && message.hasPrefix("records[\(index)].\(count.field):") {
            return message + "; read as a signed 64-bit number it is \(Int64(bitPattern: count.value)), and counts must not be negative"
        }
        return message
    }

    public func getSummary(_ request: GetSummaryRequest, caller: Caller) async throws(RPCError) -> GetSummaryResponse {
        let account = try resolveAccount(request.accountID, caller: caller, access: .summaries)
        let range = try RangeQuery(wire: request.range)
        let maxSessions = Int(request.maxSessions == 0 ? UInt32(limits.maxSummarySessions) : request.maxSessions)
        guard maxSessions <= limits.maxSummarySessions else {
            throw RPCError(code: .invalidArgument,
                           message: "max_sessions: \(request.maxSessions) is over the maximum of \(limits.maxSummarySessions)")
        }
        let summary: UsageSummary
        do {
            summary = try await core.summary(accountID: account, range: range, maxSessions: maxSessions, nowMs: clock())
        } catch {
            throw RPCError(error)
        }
        return GetSummaryResponse(summary: summary)
    }

    public func listRecords(_ request: ListRecordsRequest, caller: Caller) async throws(RPCError) -> ListRecordsResponse {
        let account = try resolveAccount(request.accountID, caller: caller, access: .records)
        let range = try RangeQuery(wire: request.range)
        guard request.pageSize <= limits.maxPageSize else {
            throw RPCError(code: .invalidArgument,
                           message: "page_size: \(request.pageSize) is over the maximum of \(limits.maxPageSize)")
        }
        let pageSize = request.pageSize == 0 ? limits.defaultPageSize : Int(request.pageSize)
        let sessionID = request.sessionID.isEmpty ? nil : request.sessionID
        let page: RecordPage
        do {
            page = try await core.listRecords(accountID: account, range: range, sessionID: sessionID,
                                              pageSize: pageSize, pageToken: request.pageToken, nowMs: clock())
        } catch {
            throw RPCError(error)
        }
        return ListRecordsResponse(page: page)
    }

    public func getQuota(_ request: GetQuotaRequest, caller: Caller) async throws(RPCError) -> GetQuotaResponse {
        let account = try resolveAccount(request.accountID, caller: caller, access: .summaries)
        guard request.atMs >= 0 else {
            throw RPCError(code: .invalidArgument, message: "at_ms: \(request.atMs) is negative; pass 0 for now or Unix milliseconds")
        }
        let sessionID = request.sessionID.isEmpty ? nil : request.sessionID
        let status: QuotaStatus
        do {
            status = try await core.quota(accountID: account, sessionID: sessionID, atMs: request.atMs, nowMs: clock())
        } catch {
            throw RPCError(error)
        }
        return GetQuotaResponse(status: status)
    }

    enum Access {
        case write
        /// GetSummary and GetQuota.
        case summaries
        /// ListRecords.
        case records
    }

    /// Returns the account a request acts on, or throws when the caller's role
    /// does not allow it. Agent denials never tell whether the account exists.
    func resolveAccount(_ requested: String, caller: Caller, access: Access) throws(RPCError) -> String {
        switch caller.role {
        case .agent:
            let own = caller.account ?? ""
            guard requested.isEmpty || requested == own else {
                throw RPCError(code: .permissionDenied, message: "this key may access only its own account")
            }
            return own
        case .service:
            switch access {
            case .write:
                throw RPCError(code: .permissionDenied, message: "a service key may not record usage; use an agent or admin key")
            case .records:
                throw RPCError(code: .permissionDenied, message: "a service key may read summaries and quotas only, not records")
            case .summaries:
                break
            }
            guard !requested.isEmpty else {
                throw RPCError(code: .invalidArgument, message: "account_id is required with a service key")
            }
            try requireAccount(requested)
            return requested
        case .admin:
            let account = requested.isEmpty ? (caller.account ?? "") : requested
            guard !account.isEmpty else {
                throw RPCError(code: .invalidArgument, message: "account_id is required with an admin key")
            }
            try requireAccount(account)
            return account
        }
    }

    private func requireAccount(_ account: String) throws(RPCError) {
        let bytes = account.utf8.count
        guard bytes <= TallyCore.Limits.maxAccountIDBytes else {
            throw RPCError(code: .invalidArgument,
                           message: "account_id: \(bytes) bytes is over the maximum of \(TallyCore.Limits.maxAccountIDBytes) bytes")
        }
        guard core.accountExists(account) else {
            throw RPCError(code: .notFound, message: "account \"\(account)\" not found")
        }
    }
}
