import Synchronization
import TallyCore

/// State that all event loops of one server share: connection counts and
/// failed-authentication counts.
final class ServerShared: Sendable {
    let options: TransportOptions
    let limits: ServiceLimits
    private let logger: Logger

    private struct Counts {
        var total = 0
        var perPeer: [String: Int] = [:]
        var failedHellos: UInt64 = 0
    }

    private let counts = Mutex(Counts())

    init(options: TransportOptions, limits: ServiceLimits, logger: Logger) {
        self.options = options
        self.limits = limits
        self.logger = logger
    }

    /// Counts a new connection from `peerHost`; false when a limit is reached.
    func admit(peerHost: String) -> Bool {
        counts.withLock { counts in
            let fromPeer = counts.perPeer[peerHost, default: 0]
            guard counts.total < options.maxConnections, fromPeer < options.maxConnectionsPerPeer else { return false }
            counts.total += 1
            counts.perPeer[peerHost] = fromPeer + 1
            return true
        }
    }

    func release(peerHost: String) {
        counts.withLock { counts in
            counts.total -= 1
            let remaining = counts.perPeer[peerHost, default: 1] - 1
            counts.perPeer[peerHost] = remaining > 0 ? remaining : nil
        }
    }

    func countFailedHello() {
        counts.withLock { $0.failedHellos += 1 }
    }

    var failedHellos: UInt64 { counts.withLock { $0.failedHellos } }
}
