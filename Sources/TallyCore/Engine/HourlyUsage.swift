/// Per-session usage summed by UTC hour, so that a summary over a long range
/// merges whole hours instead of reading every record in it.
///
/// Memory grows with the number of distinct (session, hour) pairs, which is at
/// most the number of records and far fewer when sessions are short-lived.
struct HourlyUsage {
    static let hourMs: Int64 = 3_600_000

    /// Hour index (Unix milliseconds divided by `hourMs`, rounded down) to usage by session index.
    private(set) var hours: [Int64: [UInt32: UsageTotals]] = [:]

    /// Returns the hour that contains `timestamp`.
    static func hour(of timestamp: Int64) -> Int64 {
        timestamp >= 0 ? timestamp / hourMs : -((-timestamp + hourMs - 1) / hourMs)
    }

    mutating func add(timestamp: Int64, session: UInt32, input: UInt64, output: UInt64, decisions: UInt64) {
        hours[Self.hour(of: timestamp), default: [:]][session, default: UsageTotals()]
            .add(input: input, output: output, decisions: decisions)
    }

    /// Adds a whole hour's usage by session, as a bulk load gathers it.
    mutating func merge(hour: Int64, sessions bucket: [UInt32: UsageTotals]) {
        guard !bucket.isEmpty else { return }
        if hours[hour] == nil {
            hours[hour] = bucket
            return
        }
        for (session, usage) in bucket {
            hours[hour]![session, default: UsageTotals()].merge(usage)
        }
    }

    /// Adds the usage of every hour in `range` to `perSession`, indexed by session.
    func accumulate(hours range: Range<Int64>, into perSession: inout [UsageTotals]) {
        // Visit whichever is smaller: the hours of the range or the hours that have usage.
        if range.count <= hours.count {
            for hour in range {
                guard let bucket = hours[hour] else { continue }
                for (session, usage) in bucket {
                    perSession[Int(session)].merge(usage)
                }
            }
        } else {
            for (hour, bucket) in hours where range.contains(hour) {
                for (session, usage) in bucket {
                    perSession[Int(session)].merge(usage)
                }
            }
        }
    }
}

extension UsageTotals {
    mutating func merge(_ other: UsageTotals) {
        inputTokens += other.inputTokens
        outputTokens += other.outputTokens
        decisions += other.decisions
        records += other.records
    }
}
