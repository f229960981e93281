/// Per-account configuration: plan, billing time zone and notification thresholds.
public struct AccountSettings: Sendable, Equatable {
    public var id: String
    /// Name of a plan in `MeteringConfiguration.plans`.
    public var plan: String
    /// IANA time zone whose calendar months are the billing periods.
    public var billingTimeZone: String = "UTC"
    /// Percentages of a cap (1...100) at which a notification fires.
    public var notificationThresholds: [UInt32] = [75, 90, 100]

    public init(id: String, plan: String, billingTimeZone: String = "UTC", notificationThresholds: [UInt32] = [75, 90, 100]) {
        self.id = id
        self.plan = plan
        self.billingTimeZone = billingTimeZone
        self.notificationThresholds = notificationThresholds
    }
}
