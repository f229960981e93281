/// Usage of one resource in a billing period.
public struct ResourceUsage: Sendable, Equatable {
    public var resource: QuotaResource
    /// Usage in the period; may exceed the limit by the record that crossed it.
    public var used: UInt64
    /// Cap of the plan; nil means unlimited.
    public var limit: UInt64?

    public var remaining: UInt64? {
        guard let limit else { return nil }
        return used >= limit ? 0 : limit - used
    }

    public var exhausted: Bool {
        guard let limit else { return false }
        return used >= limit
    }

    public init(resource: QuotaResource, used: UInt64, limit: UInt64?) {
        self.resource = resource
        self.used = used
        self.limit = limit
    }
}

/// Quota state of an account for one billing period.
public struct QuotaStatus: Sendable, Equatable {
    public var accountID: String
    public var plan: String
    public var periodStartMs: Int64
    public var periodEndMs: Int64
    public var timeZone: String
    /// Usage per resource in the order tokens, decisions, sessions.
    public var resources: [ResourceUsage]
    /// Notifications fired in the period, oldest first.
    public var notifications: [QuotaNotification]
    /// Whether a record with tokens in the requested session would be accepted now; nil without a session.
    public var sessionAllowed: Bool?
    /// Why such a record would be rejected; empty when it would be accepted.
    public var sessionDeniedReason: String

    public init(accountID: String, plan: String, periodStartMs: Int64, periodEndMs: Int64, timeZone: String, resources: [ResourceUsage], notifications: [QuotaNotification], sessionAllowed: Bool?, sessionDeniedReason: String) {
        self.accountID = accountID
        self.plan = plan
        self.periodStartMs = periodStartMs
        self.periodEndMs = periodEndMs
        self.timeZone = timeZone
        self.resources = resources
        self.notifications = notifications
        self.sessionAllowed = sessionAllowed
        self.sessionDeniedReason = sessionDeniedReason
    }
}
