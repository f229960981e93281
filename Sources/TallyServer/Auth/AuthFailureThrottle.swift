import Foundation
import Synchronization

/// Failed Hello attempts per peer address, with a score that halves every
/// `halfLife`, and the delay that a peer's next Hello reply waits for.
///
/// The delay applies to every Hello reply of a peer with a score, whether
/// the key is right or wrong, so that a client cannot tell a failure by how
/// fast the reply comes and give up early.
public final class AuthFailureThrottle: Sendable {
    /// Settings of the throttle.
    public struct Settings: Sendable, Equatable {
        /// Delay for a score of 1; each further failure doubles it.
        public var baseDelay: Duration = .milliseconds(250)
        /// The longest delay; 0 turns the throttle off.
        public var maxDelay: Duration = .seconds(3)
        /// Time for a peer's score to fall by half.
        public var halfLife: Duration = .seconds(60)
        /// Peers tracked at once. When the table is full, entries whose score
        /// has decayed below 0.05 are dropped, and then the smallest score.
        public var maxPeers = 65_536

        public init() {}
    }

    private struct Entry {
        var score: Double
        var updatedMs: Int64
    }

    private struct State {
        var peers: [String: Entry] = [:]
        var totalFailures: UInt64 = 0
    }

    public let settings: Settings
    private let state = Mutex(State())

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Counts a failed Hello from `peer` and returns the peer's new score.
    @discardableResult
    public func recordFailure(peer: String, nowMs: Int64) -> Double {
        state.withLock { state in
            state.totalFailures += 1
            let current = state.peers[peer].map { decayed($0, nowMs: nowMs) } ?? 0
            if state.peers[peer] == nil && state.peers.count >= settings.maxPeers {
                evict(&state, nowMs: nowMs)
            }
            let score = current + 1
            state.peers[peer] = Entry(score: score, updatedMs: nowMs)
            return score
        }
    }

    /// The delay before a Hello reply to `peer`: zero without recent failures,
    /// else `baseDelay` doubled for each failure after the first, at most `maxDelay`.
    public func delay(peer: String, nowMs: Int64) -> Duration {
        let score = state.withLock { state in
            state.peers[peer].map { decayed($0, nowMs: nowMs) } ?? 0
        }
        return delay(forScore: score)
    }

    /// The delay for a failure score; scores under 0.5 count as no failure.
    public func delay(forScore score: Double) -> Duration {
        guard score >= 0.5, settings.maxDelay > .zero else { return .zero }
        let exponent = min(score.rounded() - 1, 30)
        let baseMs = Double(settings.baseDelay.milliseconds)
        let delayMs = min(baseMs * pow(2, exponent), Double(settings.maxDelay.milliseconds))
        return .milliseconds(Int64(delayMs))
    }

    /// Failed Hello attempts since the server started.
    public var totalFailures: UInt64 {
        state.withLock { $0.totalFailures }
    }

    private func decayed(_ entry: Entry, nowMs: Int64) -> Double {
        let halfLifeMs = Double(max(1, settings.halfLife.milliseconds))
        let elapsed = Double(max(0, nowMs - entry.updatedMs))
        return entry.score * pow(0.5, elapsed / halfLifeMs)
    }

    private func evict(_ state: inout State, nowMs: Int64) {
        state.peers = state.peers.filter { decayed($0.value, nowMs: nowMs) >= 0.05 }
        if state.peers.count >= settings.maxPeers,
           let smallest = state.peers.min(by: { decayed($0.value, nowMs: nowMs) < decayed($1.value, nowMs: nowMs) }) {
            state.peers.removeValue(forKey: smallest.key)
        }
    }
}
