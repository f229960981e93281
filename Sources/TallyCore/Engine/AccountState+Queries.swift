extension AccountState {
    /// Returns totals over `range`; ALL_TIME reads the per-session aggregates instead of scanning records.
    func summary(range: ResolvedRange, maxSessions: Int) -> UsageSummary {
        var perSession: [UsageTotals]
        if range.isAllTime || covers(range) {
            perSession = sessionTotals
        } else {
            perSession = Array(repeating: UsageTotals(), count: sessionNames.count)
            // Whole UTC hours inside the range come from the hourly sums; only
            // the records in the partial hours at either end are read.
            let firstWholeHour = HourlyUsage.hour(of: range.startMs - 1) + 1
            let endWholeHour = HourlyUsage.hour(of: range.endMs)
            if firstWholeHour < endWholeHour {
                addRecords(from: range.startMs, to: firstWholeHour * HourlyUsage.hourMs, into: &perSession)
                hourly.accumulate(hours: firstWholeHour ..< endWholeHour, into: &perSession)
                addRecords(from: endWholeHour * HourlyUsage.hourMs, to: range.endMs, into: &perSession)
            } else {
                addRecords(from: range.startMs, to: range.endMs, into: &perSession)
            }
        }

        var summary = UsageSummary(startMs: range.startMs, endMs: range.endMs, timeZone: range.timeZone, totalTokens: 0, inputTokens: 0, outputTokens: 0, decisions: 0, records: 0, sessionsUsed: 0, sessions: [])
        var ranking = TopSessions(capacity: maxSessions, names: sessionNames)
        for (session, totals) in perSession.enumerated() where totals.records > 0 {
            summary.inputTokens += totals.inputTokens
            summary.outputTokens += totals.outputTokens
            summary.decisions += totals.decisions
            summary.records += totals.records
            summary.sessionsUsed += 1
            ranking.offer(session: UInt32(session), total: totals.inputTokens + totals.outputTokens)
        }
        summary.totalTokens = summary.inputTokens + summary.outputTokens
        summary.sessions = ranking.ranked().map { session in
            let totals = perSession[Int(session)]
            return SessionTotals(
                sessionID: sessionNames[Int(session)], inputTokens: totals.inputTokens, outputTokens: totals.outputTokens,
                totalTokens: totals.inputTokens + totals.outputTokens, records: totals.records
            )
        }
        return summary
    }

    /// True when the range contains every record of the account, so the all-time totals equal its sums.
    private func covers(_ range: ResolvedRange) -> Bool {
        guard let first = columns.byTime.first, let last = columns.byTime.last else { return true }
        return range.startMs <= columns.timestamps[Int(first)] && columns.timestamps[Int(last)] < range.endMs
    }

    /// Adds every record with a timestamp in [startMs, endMs) to `perSession`.
    private func addRecords(from startMs: Int64, to endMs: Int64, into perSession: inout [UsageTotals]) {
        var position = columns.lowerBound(timestamp: startMs)
        while position < columns.byTime.count {
            let index = Int(columns.byTime[position])
            if columns.timestamps[index] >= endMs { break }
            perSession[Int(columns.sessions[index])].add(
                input: UInt64(columns.inputTokens[index]),
                output: UInt64(columns.outputTokens[index]),
                decisions: UInt64(columns.decisions[index])
            )
            position += 1
        }
    }

    /// Returns up to `pageSize` records in [startMs, endMs) newest first, strictly after `cursor` in walk order.
    ///
    /// The result's second element is the key of the last record returned when more may follow.
    func page(startMs: Int64, endMs: Int64, sessionID: String?, pageSize: Int, cursor: (timestamp: Int64, index: UInt32)?) -> ([StoredUsage], (Int64, UInt32)?) {
        var sessionFilter: UInt32?
        if let sessionID {
            guard let index = sessionIndex(sessionID) else { return ([], nil) }
            sessionFilter = index
        }
        // Walk backwards from the first key past the cursor or past the range end.
        var position: Int
        if let cursor {
            position = columns.upperBound(timestamp: cursor.timestamp, index: cursor.index)
            // upperBound points past the cursor record itself; step to the cursor and exclude it.
            position -= 1
            if position >= 0, columns.byTime[position] == cursor.index, columns.timestamps[Int(cursor.index)] == cursor.timestamp {
                // The cursor record sits at `position`; continue below it.
            } else {
                position += 1
            }
        } else {
            position = columns.lowerBound(timestamp: endMs)
        }
        var records: [StoredUsage] = []
        var lastKey: (Int64, UInt32)?
        position -= 1
        while position >= 0 {
            let index = Int(columns.byTime[position])
            let timestamp = columns.timestamps[index]
            if timestamp < startMs { return (records, nil) }
            if timestamp < endMs, sessionFilter == nil || columns.sessions[index] == sessionFilter {
                if records.count == pageSize { return (records, lastKey) }
                records.append(storedUsage(index))
                lastKey = (timestamp, UInt32(index))
            }
            position -= 1
        }
        return (records, nil)
    }

    /// Returns quota usage in the period containing `atMs` and whether `sessionID` may record tokens at `nowMs`.
    mutating func quotaStatus(sessionID: String?, atMs: Int64, nowMs: Int64) -> QuotaStatus {
        let bounds = period(containing: atMs)
        let usage = periods[bounds.start] ?? PeriodUsage(startMs: bounds.start, endMs: bounds.end)
        let resources = QuotaResource.allCases.map {
            ResourceUsage(resource: $0, used: usage.used($0), limit: plan.limit(of: $0))
        }
        var allowed: Bool?
        var reason = ""
        if let sessionID {
            let nowBounds = period(containing: nowMs)
            let nowUsage = periods[nowBounds.start] ?? PeriodUsage(startMs: nowBounds.start, endMs: nowBounds.end)
            let known = sessionIndex(sessionID).map { nowUsage.sessions.contains($0) } ?? false
            let denial = quotaDenial(usage: nowUsage, needsTokens: true, needsDecisions: false, newSession: !known)
            allowed = denial == nil
            reason = denial ?? ""
        }
        return QuotaStatus(
            accountID: id, plan: plan.name, periodStartMs: bounds.start, periodEndMs: bounds.end,
            timeZone: settings.billingTimeZone, resources: resources, notifications: usage.notifications,
            sessionAllowed: allowed, sessionDeniedReason: reason
        )
    }
}
