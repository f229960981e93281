import TallyCore
import TallyWire

// Conversions between the core's types and the protocol's messages.

extension RPCError {
    init(_ error: MeteringError) {
        let code: StatusCode = switch error.code {
        case .invalidArgument: .invalidArgument
        case .notFound: .notFound
        case .alreadyExists: .alreadyExists
        case .permissionDenied: .permissionDenied
        case .resourceExhausted: .resourceExhausted
        case .failedPrecondition: .failedPrecondition
        case .unavailable: .unavailable
        case .internal: .internal
        }
        self.init(code: code, message: error.message)
    }
}

extension APIKeyEntry.Role {
    var wireRole: Role {
        switch self {
        case .agent: .agent
        case .service: .service
        case .admin: .admin
        }
    }
}

extension RangeQuery {
    /// Converts a request's range; an absent range means all time.
    init(wire: TimeRange?) throws(RPCError) {
        guard let wire else {
            self.init(preset: .allTime, startMs: 0, endMs: 0, timeZone: "")
            return
        }
        let preset: RangePreset?
        switch wire.preset {
        case .unspecified: preset = nil
        case .today: preset = .today
        case .last7Days: preset = .last7Days
        case .last30Days: preset = .last30Days
        case .allTime: preset = .allTime
        case .unrecognized(let value):
            throw RPCError(code: .invalidArgument,
                           message: "range.preset: unknown value \(value); expected 1 (TODAY), 2 (LAST_7_DAYS), 3 (LAST_30_DAYS), 4 (ALL_TIME) or 0 with start_ms and end_ms")
        }
        self.init(preset: preset, startMs: wire.startMs, endMs: wire.endMs, timeZone: wire.timeZone)
    }
}

extension Resource {
    init(_ resource: QuotaResource) {
        switch resource {
        case .tokens: self = .tokens
        case .decisions: self = .decisions
        case .sessions: self = .sessions
        }
    }
}

extension Notification {
    init(_ notification: QuotaNotification) {
        self.init(resource: Resource(notification.resource), thresholdPercent: notification.thresholdPercent,
                  used: notification.used, limit: notification.limit, crossedAtMs: notification.crossedAtMs,
                  periodStartMs: notification.periodStartMs)
    }
}

extension RecordResult {
    init(outcome: RecordOutcome) {
        switch outcome {
        case .accepted(let timestampMs, let notifications):
            self.init(status: .ok, message: "", duplicate: false,
                      notifications: notifications.map(Notification.init), timestampMs: timestampMs)
        case .duplicate(let timestampMs):
            self.init(status: .ok, message: "", duplicate: true, notifications: [], timestampMs: timestampMs)
        case .rejected(let error):
            self.init(status: RPCError(error).code, message: error.message, duplicate: false,
                      notifications: [], timestampMs: 0)
        }
    }
}

extension GetSummaryResponse {
    init(summary: UsageSummary) {
        self.init(
            totalTokens: summary.totalTokens, inputTokens: summary.inputTokens, outputTokens: summary.outputTokens,
            sessionsUsed: summary.sessionsUsed,
            sessions: summary.sessions.map { session in
                SessionUsage(sessionID: session.sessionID, inputTokens: session.inputTokens,
                             outputTokens: session.outputTokens, totalTokens: session.totalTokens,
                             records: session.records)
            },
            startMs: summary.startMs, endMs: summary.endMs, records: summary.records,
            decisions: summary.decisions, timeZone: summary.timeZone
        )
    }
}

extension ListRecordsResponse {
    init(page: RecordPage) {
        self.init(
            records: page.records.map { record in
                StoredRecord(timestampMs: record.timestampMs, sessionID: record.sessionID,
                             inputTokens: record.inputTokens, outputTokens: record.outputTokens,
                             totalTokens: record.totalTokens, decisions: record.decisions, eventID: record.eventID)
            },
            nextPageToken: page.nextPageToken, startMs: page.startMs, endMs: page.endMs
        )
    }
}

extension GetQuotaResponse {
    init(status: QuotaStatus) {
        self.init(
            plan: status.plan, periodStartMs: status.periodStartMs, periodEndMs: status.periodEndMs,
            resources: status.resources.map { usage in
                ResourceQuota(resource: Resource(usage.resource), used: usage.used, limit: usage.limit ?? 0,
                              remaining: usage.remaining ?? 0, exhausted: usage.exhausted,
                              unlimited: usage.limit == nil)
            },
            notifications: status.notifications.map(Notification.init),
            sessionAllowed: status.sessionAllowed ?? false,
            sessionDeniedReason: status.sessionDeniedReason,
            timeZone: status.timeZone, accountID: status.accountID
        )
    }
}
