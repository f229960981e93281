import Foundation
import TallyCore

/// Turns configuration JSON into a `ServerConfiguration`, with errors that
/// name the file and the JSON path of the bad value.
struct ConfigurationParser {
    let source: String

    init(source: String) {
        self.source = source
    }

    mutating func parse(_ data: Data) throws(ConfigurationError) -> ServerConfiguration {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw fail("", "is not valid JSON: \(Self.describeSyntaxError(error, in: data))")
        }
        let top = try object(root, at: "")
        try rejectUnknownKeys(top, allowed: ["plans", "accounts", "keys"], at: "")

        var plans: [String: Plan] = [:]
        for (name, value) in try object(top["plans"] ?? [String: Any](), at: "plans") {
            plans[name] = try parsePlan(name: name, value)
        }
        var accounts: [String: AccountSettings] = [:]
        for (id, value) in try object(top["accounts"] ?? [String: Any](), at: "accounts") {
            accounts[id] = try parseAccount(id: id, value, plans: plans)
        }
        guard !accounts.isEmpty else {
            throw fail("accounts", "is empty; add at least one account")
        }
        guard let keyValues = top["keys"] as? [Any] else {
            throw fail("keys", "is missing or not an array; a configuration file needs at least one API key")
        }
        var keys: [APIKeyEntry] = []
        for (index, value) in keyValues.enumerated() {
            keys.append(try parseKey(value, at: "keys[\(index)]", accounts: accounts))
        }
        guard !keys.isEmpty else {
            throw fail("keys", "is empty; add at least one API key (tally keys new prints one)")
        }
        var seen: Set<String> = []
        for (index, key) in keys.enumerated() where !seen.insert(key.sha256).inserted {
            throw fail("keys[\(index)].sha256", "repeats the hash of an earlier key")
        }

        let metering = MeteringConfiguration(plans: plans, accounts: accounts)
        do {
            return ServerConfiguration(metering: try metering.validated(), keys: keys, requiresKeys: true)
        } catch {
            throw ConfigurationError("\(source): \(error.message)")
        }
    }

    private func parsePlan(name: String, _ value: Any) throws(ConfigurationError) -> Plan {
        let path = "plans.\(name)"
        let fields = try object(value, at: path)
        try rejectUnknownKeys(fields, allowed: ["tokens", "decisions", "sessions"], at: path)
        return Plan(
            name: name,
            tokens: try cap(fields["tokens"], at: "\(path).tokens"),
            decisions: try cap(fields["decisions"], at: "\(path).decisions"),
            sessions: try cap(fields["sessions"], at: "\(path).sessions")
        )
    }

    private func parseAccount(id: String, _ value: Any, plans: [String: Plan]) throws(ConfigurationError) -> AccountSettings {
        let path = "accounts.\(id)"
        guard (1...64).contains(id.utf8.count) else {
            throw fail(path, "account id is \(id.utf8.count) bytes; it must be 1 to 64 bytes")
        }
        let fields = try object(value, at: path)
        try rejectUnknownKeys(fields, allowed: ["plan", "time_zone", "notification_thresholds"], at: path)
        guard let plan = fields["plan"] as? String else {
            throw fail("\(path).plan", "is missing or not a string")
        }
        guard plans[plan] != nil else {
            let known = plans.keys.sorted().joined(separator: ", ")
            throw fail("\(path).plan", "names unknown plan \"\(plan)\"; plans defined: \(known)")
        }
        var settings = AccountSettings(id: id, plan: plan)
        if let zone = fields["time_zone"] {
            guard let zoneName = zone as? String else { throw fail("\(path).time_zone", "is not a string") }
            settings.billingTimeZone = zoneName
        }
        if let thresholds = fields["notification_thresholds"] {
            guard let values = thresholds as? [Any] else {
                throw fail("\(path).notification_thresholds", "is not an array of percentages")
            }
            var percents: [UInt32] = []
            for (index, item) in values.enumerated() {
                let itemPath = "\(path).notification_thresholds[\(index)]"
                let percent = try wholeNumber(item, at: itemPath)
                guard (1...100).contains(percent) else {
                    throw fail(itemPath, "is \(percent); a threshold must be 1 to 100 percent")
                }
                percents.append(UInt32(percent))
            }
            settings.notificationThresholds = percents
        }
        return settings
    }

    private func parseKey(_ value: Any, at path: String, accounts: [String: AccountSettings]) throws(ConfigurationError) -> APIKeyEntry {
        let fields = try object(value, at: path)
        try rejectUnknownKeys(fields, allowed: ["sha256", "role", "account", "name"], at: path)
        guard let hash = fields["sha256"] as? String else {
            throw fail("\(path).sha256", "is missing or not a string")
        }
        let lowercased = hash.lowercased()
        guard lowercased.utf8.count == 64, lowercased.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw fail("\(path).sha256", "must be 64 hex digits (the SHA-256 of the key); got \(hash.utf8.count) characters")
        }
        guard let roleName = fields["role"] as? String, let role = APIKeyEntry.Role(rawValue: roleName) else {
            throw fail("\(path).role", "must be one of agent, service, admin")
        }
        let account = fields["account"] as? String
        if role == .agent {
            guard let account else {
                throw fail("\(path).account", "is missing; an agent key belongs to one account")
            }
            guard accounts[account] != nil else {
                throw fail("\(path).account", "names unknown account \"\(account)\"")
            }
        } else if account != nil {
            throw fail("\(path).account", "is set on a \(role.rawValue) key; only agent keys belong to an account")
        }
        let name = fields["name"] as? String
        return APIKeyEntry(sha256: lowercased, role: role, account: account, name: name)
    }

    private func cap(_ value: Any?, at path: String) throws(ConfigurationError) -> UInt64? {
        guard let value else { return nil }
        return UInt64(try wholeNumber(value, at: path))
    }

    private func wholeNumber(_ value: Any, at path: String) throws(ConfigurationError) -> Int64 {
        // JSON true and false also arrive as NSNumber, of a Boolean subclass.
        guard let number = value as? NSNumber, !String(describing: type(of: number)).contains("Boolean") else {
            throw fail(path, "is not a number")
        }
        let double = number.doubleValue
        guard double >= 0, double.rounded() == double, double < 9.2e18 else {
            throw fail(path, "is \(number); it must be a whole number from 0 up")
        }
        return number.int64Value
    }

    private func object(_ value: Any, at path: String) throws(ConfigurationError) -> [String: Any] {
        guard let object = value as? [String: Any] else {
            throw fail(path, "is not a JSON object")
        }
        return object
    }

    private func rejectUnknownKeys(_ object: [String: Any], allowed: Set<String>, at path: String) throws(ConfigurationError) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            let prefix = path.isEmpty ? key : "\(path).\(key)"
            throw fail(prefix, "is not a known setting; expected one of \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// Returns Foundation's description of a JSON syntax error, such as
    /// "Invalid value around character 20.", with the line and column of that
    /// byte offset added.
    static func describeSyntaxError(_ error: any Error, in data: Data) -> String {
        let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        guard let detail else { return error.localizedDescription }
        let text = detail.hasSuffix(".") ? String(detail.dropLast()) : detail
        guard let range = text.range(of: "character "), let offset = Int(text[range.upperBound...]), offset <= data.count else {
            return text
        }
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return "\(text) (line \(line), column \(column))"
    }

    private func fail(_ path: String, _ problem: String) -> ConfigurationError {
        ConfigurationError(path.isEmpty ? "\(source): \(problem)" : "\(source): \(path) \(problem)")
    }
}
