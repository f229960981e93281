import TallyWire

/// Builds encoded request payloads for a load run.
///
/// Without event ids, RecordUsage payloads come from a pool built before the run, so that
/// client-side encoding does not compete with the server for the machine's cores. With event ids,
/// each payload is encoded when it is sent, since every id must be new.
struct RequestFactory {
    let options: Options
    let sizes: TraceSizes
    private var random: SplitMix
    private var recordPool: [[UInt8]] = []
    private var poolIndex = 0
    private var eventCounter: UInt64 = 0
    private let eventPrefix: String
    private let mixTable: [LoadMethod]
    private let accountNames: [String]
    private let quotaAccountNames: [String]
    private let sessionNames: [String]

    static let poolSize = 4096

    init(options: Options, sizes: TraceSizes, worker: Int) {
        self.options = options
        self.sizes = sizes
        random = SplitMix(seed: options.seed &+ UInt64(worker) &* 7919)
        eventPrefix = "r\(options.seed)w\(worker)-"
        var table: [LoadMethod] = []
        for entry in options.mix {
            table += Array(repeating: entry.method, count: entry.weight)
        }
        mixTable = table
        accountNames = (0..<options.accounts).map { options.accountPrefix + String($0) }
        let quotaCount = options.quotaAccounts ?? options.accounts
        let quotaPrefix = options.quotaAccountPrefix ?? options.accountPrefix
        quotaAccountNames = (0..<quotaCount).map { quotaPrefix + String($0) }
        sessionNames = (0..<options.sessions).map { "s-" + String($0) }
        if options.eventIDBytes == 0 && table.contains(.record) {
            for _ in 0..<Self.poolSize {
                recordPool.append(makeRecordPayload())
            }
        }
    }

    mutating func nextMethod() -> LoadMethod {
        mixTable[random.below(mixTable.count)]
    }

    mutating func payload(for method: LoadMethod) -> [UInt8] {
        switch method {
        case .record:
            if recordPool.isEmpty {
                return makeRecordPayload()
            }
            poolIndex = (poolIndex + 1) % recordPool.count
            return recordPool[poolIndex]
        case .quota:
            let account = quotaAccountNames[random.below(quotaAccountNames.count)]
            return GetQuotaRequest(accountID: account, sessionID: sessionNames[random.below(sessionNames.count)])
                .serializedBytes()
        case .summary:
            return GetSummaryRequest(
                accountID: accountNames[random.below(accountNames.count)], range: TimeRange(preset: .last30Days),
                maxSessions: options.summarySessions
            ).serializedBytes()
        case .list:
            return ListRecordsRequest(accountID: accountNames[random.below(accountNames.count)], pageSize: options.pageSize)
                .serializedBytes()
        }
    }

    private mutating func makeRecordPayload() -> [UInt8] {
        var records: [UsageRecord] = []
        records.reserveCapacity(options.recordsPerRequest)
        for _ in 0..<options.recordsPerRequest {
            let pair = sizes.pairs[random.below(sizes.pairs.count)]
            records.append(
                UsageRecord(
                    eventID: nextEventID(), sessionID: sessionNames[random.below(sessionNames.count)],
                    inputTokens: pair.input, outputTokens: pair.output, decisions: 1))
        }
        return RecordUsageRequest(accountID: accountNames[random.below(accountNames.count)], records: records)
            .serializedBytes()
    }

    private mutating func nextEventID() -> String {
        guard options.eventIDBytes > 0 else { return "" }
        eventCounter += 1
        let base = eventPrefix + String(eventCounter) + "-"
        let padding = max(0, options.eventIDBytes - base.utf8.count)
        return base + String(repeating: "x", count: padding)
    }
}
