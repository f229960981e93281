import Synchronization
import TallyWire

/// The client's own log of every record it sent and what the server replied.
///
/// Records are keyed by account and timestamp: the load gives every record a unique timestamp,
/// so a stored record can be matched to what was sent even when it has no event id.
final class UsageLedger: Sendable {
    enum State: Equatable {
        /// Sent; no reply yet.
        case inFlight
        /// Acknowledged with OK, or seen in the store after a restart: it must be present exactly once from now on.
        case stored
        /// Rejected by the server, or unacknowledged and absent after a restart: it must never appear.
        case absent
        /// Sent without an acknowledgement because the server died; may or may not be stored.
        case inDoubt
    }

    struct Entry {
        var account: String
        var record: UsageRecord
        var state: State
    }

    struct Counts: Equatable {
        var acknowledged = 0
        var rejected = 0
        var inDoubt = 0
        var duplicatesAcknowledged = 0
        var retried = 0
    }

    private struct Contents {
        var entries: [String: [Int64: Entry]] = [:]
        var nextTimestamp = TestConfiguration.periodStartMs + 1
        var counts = Counts()
        var problems: [String] = []
    }

    private let contents = Mutex(Contents())

    /// Reserves `count` consecutive unique timestamps.
    func reserveTimestamps(_ count: Int) -> Int64 {
        contents.withLock { contents in
            let first = contents.nextTimestamp
            contents.nextTimestamp += Int64(count)
            return first
        }
    }

    func markInFlight(account: String, records: [UsageRecord]) {
        contents.withLock { contents in
            for record in records {
                contents.entries[account, default: [:]][record.timestampMs] = Entry(account: account, record: record, state: .inFlight)
            }
        }
    }

    /// Applies a RecordUsage reply to records sent for the first time.
    func applyReply(account: String, records: [UsageRecord], results: [RecordResult]) {
        contents.withLock { contents in
            guard results.count == records.count else {
                contents.problems.append("\(account): \(records.count) records sent but \(results.count) results returned")
                return
            }
            for (record, result) in zip(records, results) {
                let state: State
                if result.status == .ok {
                    if result.duplicate {
                        contents.problems.append("\(account) @\(record.timestampMs): a first send was reported as a duplicate")
                    }
                    state = .stored
                    contents.counts.acknowledged += 1
                } else {
                    if !(result.status == .resourceExhausted && account == TestConfiguration.freeAccount) {
                        contents.problems.append("\(account) @\(record.timestampMs): unexpected \(result.status.name): \(result.message)")
                    }
                    state = .absent
                    contents.counts.rejected += 1
                }
                contents.entries[account]![record.timestampMs]!.state = state
            }
        }
    }

    /// Marks records whose request failed as a whole: unknown whether they are stored when the server died.
    func markUnacknowledged(account: String, records: [UsageRecord], error: RPCError) {
        contents.withLock { contents in
            if error.code != .unavailable && error.code != .deadlineExceeded {
                contents.problems.append("\(account): request failed with \(error)")
            }
            for record in records {
                contents.entries[account]![record.timestampMs]!.state = .inDoubt
                contents.counts.inDoubt += 1
            }
        }
    }

    /// Applies the reply to a resend of records already stored: each must come back as a duplicate.
    func applyResendReply(account: String, records: [UsageRecord], results: [RecordResult]) {
        contents.withLock { contents in
            for (record, result) in zip(records, results) where result.status != .ok || !result.duplicate {
                contents.problems.append("\(account) @\(record.timestampMs): resend of a stored record returned \(result.status.name) duplicate=\(result.duplicate): \(result.message)")
            }
            contents.counts.duplicatesAcknowledged += results.count
        }
    }

    /// Applies the reply to a retry of in-doubt records after a restart.
    func applyRetryReply(account: String, records: [UsageRecord], results: [RecordResult]) {
        contents.withLock { contents in
            for (record, result) in zip(records, results) {
                contents.counts.retried += 1
                if result.status == .ok {
                    contents.entries[account]![record.timestampMs]!.state = .stored
                } else if result.status == .resourceExhausted && account == TestConfiguration.freeAccount {
                    contents.entries[account]![record.timestampMs]!.state = .absent
                } else {
                    contents.problems.append("\(account) @\(record.timestampMs): retry returned \(result.status.name): \(result.message)")
                }
            }
        }
    }

    /// In-doubt records that carry an event id, per account; retrying them must converge to exactly once.
    func retryableInDoubt() -> [String: [UsageRecord]] {
        contents.withLock { contents in
            var found: [String: [UsageRecord]] = [:]
            for (account, entries) in contents.entries {
                let records = entries.values.filter { $0.state == .inDoubt && !$0.record.eventID.isEmpty }.map(\.record)
                if !records.isEmpty {
                    found[account] = records.sorted { $0.timestampMs < $1.timestampMs }
                }
            }
            return found
        }
    }

    /// Every entry of `account`, keyed by timestamp.
    func entries(of account: String) -> [Int64: Entry] {
        contents.withLock { $0.entries[account] ?? [:] }
    }

    /// Settles in-doubt records without an event id after a restart: present ones are stored from now on, absent ones never may appear.
    func settle(account: String, timestamp: Int64, present: Bool) {
        contents.withLock { contents in
            contents.entries[account]![timestamp]!.state = present ? .stored : .absent
        }
    }

    func report(_ problem: String) {
        contents.withLock { $0.problems.append(problem) }
    }

    var counts: Counts { contents.withLock { $0.counts } }
    var problems: [String] { contents.withLock { $0.problems } }
}
