import Foundation

/// Plans and accounts the core serves.
public struct MeteringConfiguration: Sendable, Equatable {
    /// Plans by name.
    public var plans: [String: Plan]
    /// Accounts by id.
    public var accounts: [String: AccountSettings]

    public init(plans: [String: Plan], accounts: [String: AccountSettings]) {
        self.plans = plans
        self.accounts = accounts
    }

    /// The free plan: 500,000 tokens, 5,000 decisions and 100 sessions per month.
    public static let freePlan = Plan(name: "free", tokens: 500_000, decisions: 5_000, sessions: 100)

    /// Returns plans "free" and "unlimited" with one account "default" on the free plan, billed in UTC.
    public static func embeddedDefault() -> MeteringConfiguration {
        MeteringConfiguration(
            plans: ["free": freePlan, "unlimited": Plan(name: "unlimited")],
            accounts: ["default": AccountSettings(id: "default", plan: "free")]
        )
    }

    /// Returns this configuration after checking plan references, account ids, time zones and thresholds.
    public func validated() throws(MeteringError) -> MeteringConfiguration {
        for key in plans.keys.sorted() where plans[key]!.name != key {
            throw .invalidArgument("plans[\"\(key)\"].name: \"\(plans[key]!.name)\" differs from its key \"\(key)\"")
        }
        for key in accounts.keys.sorted() {
            let account = accounts[key]!
            let field = "accounts[\"\(key)\"]"
            if account.id != key {
                throw .invalidArgument("\(field).id: \"\(account.id)\" differs from its key \"\(key)\"")
            }
            let idBytes = key.utf8.count
            if idBytes == 0 || idBytes > Limits.maxAccountIDBytes {
                throw .invalidArgument("\(field).id: \(idBytes) bytes is outside 1...\(Limits.maxAccountIDBytes) bytes")
            }
            if plans[account.plan] == nil {
                let known = plans.keys.sorted().joined(separator: ", ")
                throw .invalidArgument("\(field).plan: unknown plan \"\(account.plan)\"; known plans: \(known)")
            }
            if account.billingTimeZone.utf8.count > Limits.maxTimeZoneBytes || TimeZone(identifier: account.billingTimeZone) == nil {
                throw .invalidArgument("\(field).billing_time_zone: unknown time zone \"\(account.billingTimeZone)\"; use an IANA name such as Europe/Berlin")
            }
            for threshold in account.notificationThresholds where threshold < 1 || threshold > 100 {
                throw .invalidArgument("\(field).notification_thresholds: \(threshold) is outside 1...100 percent")
            }
        }
        return self
    }
}
