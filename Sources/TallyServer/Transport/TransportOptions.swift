import Foundation

/// Settings of the native TCP transport.
public struct TransportOptions: Sendable {
    /// Event loops, each a thread with its own epoll set and listening socket.
    public var loopCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Open connections across all loops; more are accepted and closed at once.
    public var maxConnections = 10_000
    /// Open connections from one peer address.
    public var maxConnectionsPerPeer = 1_000
    /// Reply bytes queued for one connection before the server stops reading
    /// its requests until the client reads.
    public var maxOutboundBytes = 16 * 1024 * 1024
    /// How long a connection may sit on a partial frame, or leave queued
    /// replies unread, before it is closed.
    public var stallTimeout: Duration = .seconds(30)

    public init() {}
}
