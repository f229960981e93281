/// A resource that a plan caps per billing period.
public enum QuotaResource: Sendable, Equatable, CaseIterable {
    case tokens, decisions, sessions
}

/// A notification that usage of a resource crossed a threshold percentage of its cap.
public struct QuotaNotification: Sendable, Equatable {
    public var resource: QuotaResource
    public var thresholdPercent: UInt32
    /// Usage right after the crossing record.
    public var used: UInt64
    public var limit: UInt64
    /// Timestamp of the record that crossed the threshold.
    public var crossedAtMs: Int64
    /// Start of the billing period the notification belongs to.
    public var periodStartMs: Int64

    public init(resource: QuotaResource, thresholdPercent: UInt32, used: UInt64, limit: UInt64, crossedAtMs: Int64, periodStartMs: Int64) {
        self.resource = resource
        self.thresholdPercent = thresholdPercent
        self.used = used
        self.limit = limit
        self.crossedAtMs = crossedAtMs
        self.periodStartMs = periodStartMs
    }
}
