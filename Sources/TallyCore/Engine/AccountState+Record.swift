/// A record accepted into memory, as the write-ahead log stores it.
struct AcceptedRecord: Sendable, Equatable {
    var timestampMs: Int64
    var sessionID: String
    var inputTokens: UInt32
    var outputTokens: UInt32
    var decisions: UInt32
    var eventID: String
}

extension AccountState {
    /// Validates, deduplicates and quota-checks one record, then stores it if accepted.
    ///
    /// Returns the outcome and, when the record was stored, what the log must contain for it.
    mutating func process(_ record: NewRecord, position: Int, limits: RecordLimits, nowMs: Int64) -> (RecordOutcome, AcceptedRecord?) {
        let field = "records[\(position)]"
        if let problem = Self.validate(record, field: field, limits: limits, nowMs: nowMs) {
            return (.rejected(.invalidArgument(problem)), nil)
        }
        let timestamp = record.timestampMs == 0 ? nowMs : record.timestampMs

        if !record.eventID.isEmpty, let existing = findEvent(record.eventID) {
            let stored = storedUsage(existing)
            let sameContent = stored.sessionID == record.sessionID
                && stored.inputTokens == record.inputTokens
                && stored.outputTokens == record.outputTokens
                && stored.decisions == record.decisions
                && (record.timestampMs == 0 || record.timestampMs == stored.timestampMs)
            if sameContent {
                return (.duplicate(timestampMs: stored.timestampMs), nil)
            }
            let message = "\(field).event_id: event \"\(record.eventID)\" was already recorded with different content (session \"\(stored.sessionID)\", timestamp \(stored.timestampMs), input \(stored.inputTokens), output \(stored.outputTokens), decisions \(stored.decisions))"
            return (.rejected(MeteringError(code: .alreadyExists, message: message)), nil)
        }

        if let problem = overflowProblem(record, field: field) {
            return (.rejected(.invalidArgument(problem)), nil)
        }

        let bounds = period(containing: timestamp)
        // Only the counts outlive this scope: a copy of the period's session set
        // kept across `apply` would make its insert copy the whole set.
        let before: PeriodCounts
        do {
            let usage = periods[bounds.start] ?? PeriodUsage(startMs: bounds.start, endMs: bounds.end)
            let tokens = record.inputTokens + record.outputTokens
            let knownSession = sessionIndex(record.sessionID).map { usage.sessions.contains($0) } ?? false
            if let reason = quotaDenial(usage: usage, needsTokens: tokens > 0, needsDecisions: record.decisions > 0, newSession: !knownSession) {
                return (.rejected(MeteringError(code: .resourceExhausted, message: reason)), nil)
            }
            before = PeriodCounts(usage)
        }

        let accepted = AcceptedRecord(
            timestampMs: timestamp, sessionID: record.sessionID,
            inputTokens: UInt32(record.inputTokens), outputTokens: UInt32(record.outputTokens),
            decisions: UInt32(record.decisions), eventID: record.eventID
        )
        apply(timestamp: timestamp, sessionID: accepted.sessionID, input: accepted.inputTokens, output: accepted.outputTokens, decisions: accepted.decisions, eventID: accepted.eventID)
        let fired = fireNotifications(before: before, periodStart: bounds.start, timestamp: timestamp)
        return (.accepted(timestampMs: timestamp, notifications: fired), accepted)
    }

    /// Returns why a record needing these resources would be rejected in a period with `usage`, or nil if allowed.
    func quotaDenial(usage: PeriodUsage, needsTokens: Bool, needsDecisions: Bool, newSession: Bool) -> String? {
        let checks: [(QuotaResource, Bool, String, String)] = [
            (.tokens, needsTokens, "token", "tokens"),
            (.decisions, needsDecisions, "decision", "decisions"),
            (.sessions, newSession, "session", "sessions"),
        ]
        for (resource, needed, singular, plural) in checks where needed {
            guard let limit = plan.limit(of: resource) else { continue }
            let used = usage.used(resource)
            if used >= limit {
                let end = TimeMath.iso8601(ms: usage.endMs, calendar: calendar)
                return "\(singular) cap reached: \(TimeMath.grouped(used)) of \(TimeMath.grouped(limit)) \(plural) used on plan \"\(plan.name)\"; the period ends \(end)"
            }
        }
        return nil
    }

    private mutating func fireNotifications(before: PeriodCounts, periodStart: Int64, timestamp: Int64) -> [QuotaNotification] {
        guard let after = periods[periodStart] else { return [] }
        var fired: [QuotaNotification] = []
        for resource in QuotaResource.allCases {
            guard let limit = plan.limit(of: resource) else { continue }
            let usedBefore = before.used(resource)
            let usedAfter = after.used(resource)
            for threshold in settings.notificationThresholds.sorted() {
                guard !Self.reaches(usedBefore, limit: limit, percent: threshold),
                      Self.reaches(usedAfter, limit: limit, percent: threshold),
                      !after.hasFired(resource, threshold: threshold),
                      !fired.contains(where: { $0.resource == resource && $0.thresholdPercent == threshold })
                else { continue }
                fired.append(QuotaNotification(resource: resource, thresholdPercent: threshold, used: usedAfter, limit: limit, crossedAtMs: timestamp, periodStartMs: periodStart))
            }
        }
        for notification in fired {
            addNotification(notification)
        }
        return fired
    }

    /// Returns whether used * 100 >= limit * percent, computed without overflow.
    static func reaches(_ used: UInt64, limit: UInt64, percent: UInt32) -> Bool {
        let left = used.multipliedFullWidth(by: 100)
        let right = limit.multipliedFullWidth(by: UInt64(percent))
        return (left.high, left.low) >= (right.high, right.low)
    }

    private static func validate(_ record: NewRecord, field: String, limits: RecordLimits, nowMs: Int64) -> String? {
        let sessionBytes = record.sessionID.utf8.count
        if sessionBytes == 0 {
            return "\(field).session_id: must not be empty (1 to \(limits.maxSessionIDBytes) bytes)"
        }
        if let problem = limits.sessionIDProblem(bytes: sessionBytes) {
            return "\(field).\(problem)"
        }
        let eventBytes = record.eventID.utf8.count
        if eventBytes > limits.maxEventIDBytes {
            return "\(field).event_id: \(eventBytes) bytes is over the maximum of \(limits.maxEventIDBytes) bytes (max_event_id_bytes)"
        }
        let counts: [(String, UInt64)] = [("input_tokens", record.inputTokens), ("output_tokens", record.outputTokens), ("decisions", record.decisions)]
        for (name, value) in counts where value > Limits.maxCountPerRecord {
            return "\(field).\(name): \(value) is over the maximum of \(Limits.maxCountPerRecord)"
        }
        if record.timestampMs < 0 {
            return "\(field).timestamp_ms: \(record.timestampMs) is negative; use 0 for the receive time or Unix milliseconds"
        }
        let latest = nowMs.addingReportingOverflow(Limits.maxFutureSkewMs)
        let maxTimestamp = latest.overflow ? Int64.max : latest.partialValue
        if record.timestampMs > maxTimestamp {
            return "\(field).timestamp_ms: \(record.timestampMs) is more than \(Limits.maxFutureSkewMs) ms after the server time \(nowMs) (maximum \(maxTimestamp))"
        }
        return nil
    }

    /// Returns a message when adding `record` would overflow an account total; totals bound every session and period sum.
    private func overflowProblem(_ record: NewRecord, field: String) -> String? {
        let checks: [(String, UInt64, UInt64)] = [
            ("input_tokens", totals.inputTokens, record.inputTokens),
            ("output_tokens", totals.outputTokens, record.outputTokens),
            ("decisions", totals.decisions, record.decisions),
        ]
        for (name, total, value) in checks where total.addingReportingOverflow(value).overflow {
            return "\(field).\(name): \(value) would overflow the account total of \(total) (maximum \(UInt64.max))"
        }
        // The sum of input and output tokens must stay representable as well.
        let tokensBefore = totals.inputTokens.addingReportingOverflow(totals.outputTokens)
        let tokensAfter = tokensBefore.partialValue.addingReportingOverflow(record.inputTokens + record.outputTokens)
        if tokensBefore.overflow || tokensAfter.overflow {
            return "\(field).input_tokens: \(record.inputTokens + record.outputTokens) tokens would overflow the account's total tokens (maximum \(UInt64.max))"
        }
        return nil
    }
}
