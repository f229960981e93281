import Synchronization
import TallyCore

/// State that all event loops of one server share: connection counts and
/// failed-authentication counts.
final class ServerShared: Sendable {
    let options: TransportOptions
    let limits: ServiceLimits
    let authThrottle: AuthFailureThrottle
    private let logger: Logger

    private struct Counts {
        var total = 0
        var perPeer: [String: Int] = [:]
    }

    /// The reason `admit` rejected a connection.
    enum Refusal {
        case total(limit: Int)
        case perPeer(limit: Int)

        var message: String {
            switch self {
            case .total(let limit):
                "max_connections: the server has \(limit) open connections, the maximum; retry later"
            case .perPeer(let limit):
                "max_connections_per_peer: this address has \(limit) open connections, the maximum; close some or retry later"
            }
        }
    }

    private let counts = Mutex(Counts())
    private let inboundBytes = Atomic<Int>(0)

    init(options: TransportOptions, limits: ServiceLimits, logger: Logger) {
        self.options = options
        self.limits = limits
        self.logger = logger
        self.authThrottle = AuthFailureThrottle(settings: options.authThrottle)
    }

    /// Counts a new connection from `peerHost`; returns the limit reached, or nil when admitted.
    func admit(peerHost: String) -> Refusal? {
        counts.withLock { counts in
            let fromPeer = counts.perPeer[peerHost, default: 0]
            if counts.total >= options.maxConnections {
                return .total(limit: options.maxConnections)
            }
            if fromPeer >= options.maxConnectionsPerPeer {
                return .perPeer(limit: options.maxConnectionsPerPeer)
            }
            counts.total += 1
            counts.perPeer[peerHost] = fromPeer + 1
            return nil
        }
    }

    func release(peerHost: String) {
        counts.withLock { counts in
            counts.total -= 1
            let remaining = counts.perPeer[peerHost, default: 1] - 1
            counts.perPeer[peerHost] = remaining > 0 ? remaining : nil
        }
    }

    /// Adds `bytes` of incomplete frames to the server-wide total; returns
    /// false, adding nothing, when the total would pass `maxInboundBytes`.
    func reserveInbound(_ bytes: Int) -> Bool {
        let total = inboundBytes.add(bytes, ordering: .relaxed).newValue
        guard total > options.maxInboundBytes else { return true }
        inboundBytes.subtract(bytes, ordering: .relaxed)
        return false
    }

    /// Removes `bytes` of incomplete frames from the server-wide total.
    func releaseInbound(_ bytes: Int) {
        inboundBytes.subtract(bytes, ordering: .relaxed)
    }

    /// Bytes of incomplete frames held across all loops.
    var heldInboundBytes: Int { inboundBytes.load(ordering: .relaxed) }

    /// Open connections across all loops.
    var openConnections: Int { counts.withLock { $0.total } }
}
