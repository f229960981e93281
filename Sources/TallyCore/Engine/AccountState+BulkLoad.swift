/// Loading many records at once, as recovery does: records go into the columns first, and the
/// aggregates, the time index and the event index are rebuilt once at the end.
extension AccountState {
    /// Appends a stored record without updating aggregates or indexes; call `finishBulkLoad()` afterwards.
    @inline(__always)
    mutating func bulkAppend(timestamp: Int64, session: UInt32, input: UInt32, output: UInt32, decisions count: UInt32, eventID: UnsafeRawBufferPointer) {
        columns.appendUnindexed(timestamp: timestamp, input: input, output: output, decisions: count, session: session, eventID: eventID)
    }

    /// Returns the index of the session whose UTF-8 name is `bytes`, adding it if new.
    @inline(__always)
    mutating func internSession(bytes: UnsafeRawBufferPointer) -> UInt32 {
        internSession(String(decoding: bytes, as: UTF8.self))
    }

    /// Rebuilds everything derived from the columns: the time and event indexes, session and
    /// account totals and quota usage per period. Notifications already recorded are kept.
    mutating func finishBulkLoad() {
        columns.releaseEventSlack()
        columns.rebuildTimeIndex()
        events = EventIndex(columns: columns)
        rebuildAggregates()
    }

    private mutating func rebuildAggregates() {
        var perSession = Array(repeating: UsageTotals(), count: sessionNames.count)
        var total = UsageTotals()
        var rebuiltHourly = HourlyUsage()
        // Records mostly arrive in time order, so one hour's sums gather in a
        // small dictionary and move into `rebuiltHourly` when the hour changes.
        var hour = Int64.min
        var hourSessions: [UInt32: UsageTotals] = [:]
        var rebuilt: [Int64: PeriodUsage] = [:]
        // Usage of the current period accumulates here and moves into `rebuilt` when the period changes.
        var current: (start: Int64, end: Int64)?
        var tokens: UInt64 = 0
        var decisionCount: UInt64 = 0
        var seen = [Bool](repeating: false, count: sessionNames.count)
        var touched: [UInt32] = []

        func flush(into periods: inout [Int64: PeriodUsage]) {
            guard let bounds = current else { return }
            var usage = periods[bounds.start] ?? PeriodUsage(startMs: bounds.start, endMs: bounds.end)
            usage.tokens += tokens
            usage.decisions += decisionCount
            usage.sessions.reserveCapacity(usage.sessions.count + touched.count)
            for session in touched {
                usage.sessions.insert(session)
                seen[Int(session)] = false
            }
            periods[bounds.start] = usage
            tokens = 0
            decisionCount = 0
            touched.removeAll(keepingCapacity: true)
        }

        for index in 0 ..< columns.count {
            let timestamp = columns.timestamps[index]
            let input = UInt64(columns.inputTokens[index])
            let output = UInt64(columns.outputTokens[index])
            let count = UInt64(columns.decisions[index])
            let session = columns.sessions[index]
            perSession[Int(session)].add(input: input, output: output, decisions: count)
            total.add(input: input, output: output, decisions: count)
            let recordHour = HourlyUsage.hour(of: timestamp)
            if recordHour != hour {
                rebuiltHourly.merge(hour: hour, sessions: hourSessions)
                hourSessions.removeAll(keepingCapacity: true)
                hour = recordHour
            }
            hourSessions[session, default: UsageTotals()].add(input: input, output: output, decisions: count)
            if current == nil || timestamp < current!.start || timestamp >= current!.end {
                flush(into: &rebuilt)
                current = period(containing: timestamp)
            }
            tokens += input + output
            decisionCount += count
            if !seen[Int(session)] {
                seen[Int(session)] = true
                touched.append(session)
            }
        }
        flush(into: &rebuilt)
        rebuiltHourly.merge(hour: hour, sessions: hourSessions)

        for (start, usage) in periods where !usage.notifications.isEmpty {
            rebuilt[start, default: PeriodUsage(startMs: usage.startMs, endMs: usage.endMs)].notifications = usage.notifications
        }
        periods = rebuilt
        sessionTotals = perSession
        totals = total
        hourly = rebuiltHourly
    }
}
