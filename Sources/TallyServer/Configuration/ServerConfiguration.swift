import Foundation
import TallyCore

/// What `tallyd --config FILE` loads: plans, accounts and API keys.
///
/// The file is JSON:
/// ```json
/// {"plans": {"free": {"tokens": 500000, "decisions": 5000, "sessions": 100}, "unlimited": {}},
///  "accounts": {"acme": {"plan": "free", "time_zone": "Europe/Berlin", "notification_thresholds": [75, 90, 100]}},
///  "keys": [{"sha256": "<64 hex>", "role": "agent", "account": "acme", "name": "acme-agents"}]}
/// ```
/// A resource missing from a plan has no cap.
public struct ServerConfiguration: Sendable {
    public var metering: MeteringConfiguration
    public var keys: [APIKeyEntry]
    /// False for the embedded default, which accepts any client without a key.
    public var requiresKeys: Bool

    public init(metering: MeteringConfiguration, keys: [APIKeyEntry], requiresKeys: Bool) {
        self.metering = metering
        self.keys = keys
        self.requiresKeys = requiresKeys
    }

    /// The configuration without `--config`: account `default` on the free plan,
    /// every client accepted as its admin.
    public static func embeddedDefault() -> ServerConfiguration {
        ServerConfiguration(metering: .embeddedDefault(), keys: [], requiresKeys: false)
    }

    /// The account a client without a key acts on in the embedded default.
    public static let defaultAccountID = "default"

    /// Loads and validates a configuration file.
    ///
    /// - Throws: `ConfigurationError` naming the file, the JSON path and what is wrong.
    public static func load(path: String) throws(ConfigurationError) -> ServerConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError("\(path): cannot read the file: \(error.localizedDescription)")
        }
        return try parse(data, source: path)
    }

    /// Parses configuration JSON; `source` names the file in error messages.
    public static func parse(_ data: Data, source: String) throws(ConfigurationError) -> ServerConfiguration {
        var parser = ConfigurationParser(source: source)
        return try parser.parse(data)
    }
}

/// One API key line of the configuration: the SHA-256 of the key, never the key.
public struct APIKeyEntry: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable {
        /// Reads and writes one account.
        case agent
        /// Reads summaries and quotas of any account.
        case service
        /// Reads and writes every account.
        case admin
    }

    /// Lowercase hex SHA-256 of the key, 64 characters.
    public var sha256: String
    public var role: Role
    /// The account of an agent key; nil for service and admin keys.
    public var account: String?
    /// A label for logs; defaults to the first 8 hex digits of the hash.
    public var name: String

    public init(sha256: String, role: Role, account: String?, name: String? = nil) {
        self.sha256 = sha256
        self.role = role
        self.account = account
        self.name = name ?? "key-" + String(sha256.prefix(8))
    }
}

/// An invalid or unreadable configuration file.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
