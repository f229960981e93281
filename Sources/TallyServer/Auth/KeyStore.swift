import COpenSSL
import Synchronization

/// The API keys a server accepts, held as SHA-256 hashes and replaced as a
/// whole when the configuration is reloaded.
public final class KeyStore: Sendable {
    /// Keys longer than this are rejected before hashing.
    public static let maxKeyBytes = 256

    private struct Entry {
        var digest: [UInt8]
        var caller: Caller
    }

    private struct State {
        var entries: [Entry]
        var requiresKeys: Bool
        var defaultCaller: Caller
    }

    private let state: Mutex<State>

    public init(configuration: ServerConfiguration) {
        state = Mutex(Self.state(for: configuration))
    }

    /// Replaces the accepted keys with those of `configuration`.
    public func replace(with configuration: ServerConfiguration) {
        let fresh = Self.state(for: configuration)
        state.withLock { $0 = fresh }
    }

    /// Returns the caller for `key`, or nil when the key is not accepted.
    ///
    /// The presented key is hashed and compared with every stored hash in
    /// constant time, so the time taken does not depend on which key matched.
    public func authenticate(key: String) -> Caller? {
        let snapshot = state.withLock { $0 }
        guard snapshot.requiresKeys else { return snapshot.defaultCaller }
        guard !key.isEmpty, key.utf8.count <= Self.maxKeyBytes else { return nil }
        let digest = Self.sha256(key)
        var match: Caller?
        for entry in snapshot.entries {
            let equal = digest.withUnsafeBytes { presented in
                entry.digest.withUnsafeBytes { stored in
                    CRYPTO_memcmp(presented.baseAddress, stored.baseAddress, 32) == 0
                }
            }
            if equal {
                match = entry.caller
            }
        }
        return match
    }

    /// Returns true when `caller` still holds an accepted key, so connections of
    /// revoked keys can be closed after a reload.
    public func stillAccepts(_ caller: Caller) -> Bool {
        state.withLock { state in
            !state.requiresKeys || state.entries.contains { $0.caller == caller }
        }
    }

    /// Returns the SHA-256 of the key's UTF-8 bytes.
    public static func sha256(_ key: String) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let bytes = Array(key.utf8)
        bytes.withUnsafeBufferPointer { input in
            _ = SHA256(input.baseAddress, input.count, &digest)
        }
        return digest
    }

    /// Returns the lowercase hex SHA-256 of a key, as the configuration stores it.
    public static func sha256Hex(_ key: String) -> String {
        sha256(key).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    private static func state(for configuration: ServerConfiguration) -> State {
        let entries = configuration.keys.map { key in
            Entry(digest: bytes(fromHex: key.sha256),
                  caller: Caller(role: key.role, account: key.account, keyName: key.name))
        }
        let defaultCaller = Caller(role: .admin, account: ServerConfiguration.defaultAccountID, keyName: "none")
        return State(entries: entries, requiresKeys: configuration.requiresKeys, defaultCaller: defaultCaller)
    }

    private static func bytes(fromHex hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            result.append(nibble(high) << 4 | nibble(low))
        }
        return result
    }

    private static func nibble(_ character: UInt8) -> UInt8 {
        switch character {
        case 48...57: character - 48
        case 97...102: character - 87
        case 65...70: character - 55
        default: 0
        }
    }
}
