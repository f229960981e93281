import Synchronization
import TallyClient
import TallyWire

/// SplitMix64: a small seeded generator, so a failing run can be repeated with the same choices.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Sends RecordUsage requests on one connection until the connection fails, logging every reply in the ledger.
struct LoadWorker {
    let client: TallyClient
    let ledger: UsageLedger
    var generator: SeededGenerator

    /// Records sent with an event id and acknowledged, to resend now and then as duplicates.
    private var resendable: [(account: String, record: UsageRecord)] = []

    init(client: TallyClient, ledger: UsageLedger, seed: UInt64) {
        self.client = client
        self.ledger = ledger
        generator = SeededGenerator(seed: seed)
    }

    /// Runs until a request fails as a whole, which happens when the server is killed.
    mutating func run() async {
        while true {
            if !resendable.isEmpty && Int.random(in: 0 ..< 20, using: &generator) == 0 {
                if await !resendStored() { return }
                continue
            }
            let account = TestConfiguration.allAccounts.randomElement(using: &generator)!
            let count = Bool.random(using: &generator) ? 1 : Int.random(in: 2 ... 12, using: &generator)
            let records = makeRecords(count: count)
            ledger.markInFlight(account: account, records: records)
            do {
                let response = try await client.recordUsage(RecordUsageRequest(accountID: account, records: records))
                ledger.applyReply(account: account, records: records, results: response.results)
                for (record, result) in zip(records, response.results) where result.status == .ok && !record.eventID.isEmpty {
                    resendable.append((account, record))
                }
                if resendable.count > 64 {
                    resendable.removeFirst(resendable.count - 64)
                }
            } catch {
                ledger.markUnacknowledged(account: account, records: records, error: error)
                return
            }
        }
    }

    private mutating func makeRecords(count: Int) -> [UsageRecord] {
        let firstTimestamp = ledger.reserveTimestamps(count)
        return (0 ..< count).map { offset in
            let timestamp = firstTimestamp + Int64(offset)
            var record = UsageRecord(sessionID: "session-\(Int.random(in: 0 ..< 30, using: &generator))", timestampMs: timestamp)
            if Int.random(in: 0 ..< 8, using: &generator) == 0 {
                record.decisions = UInt64.random(in: 1 ... 2, using: &generator)
            } else {
                record.inputTokens = UInt64.random(in: 1 ... 2_000, using: &generator)
                record.outputTokens = UInt64.random(in: 0 ... 1_000, using: &generator)
                record.decisions = UInt64.random(in: 0 ... 1, using: &generator)
            }
            if Bool.random(using: &generator) {
                record.eventID = "event-\(timestamp)"
            }
            return record
        }
    }

    /// Resends one acknowledged record; returns false when the connection failed.
    private mutating func resendStored() async -> Bool {
        let (account, record) = resendable.randomElement(using: &generator)!
        do {
            let response = try await client.recordUsage(RecordUsageRequest(accountID: account, records: [record]))
            ledger.applyResendReply(account: account, records: [record], results: response.results)
            return true
        } catch {
            return false
        }
    }
}
