import Foundation

/// Settings of the native TCP transport.
public struct TransportOptions: Sendable {
    /// Event loops, each a thread with its own epoll set and listening socket.
    public var loopCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Open connections across all loops; a connection over the limit gets a
    /// RESOURCE_EXHAUSTED reply with request id 0 and is closed.
    public var maxConnections = 10_000
    /// Open connections from one peer address.
    public var maxConnectionsPerPeer = 1_000
    /// Reply bytes queued for one connection before the server stops reading
    /// its requests until the client reads. Replies of requests already in
    /// flight are still queued, so the queue can pass this by at most
    /// `maxInFlight` replies.
    public var maxOutboundBytes = 16 * 1024 * 1024
    /// Bytes of incomplete request frames held across all connections. A
    /// connection whose next bytes would pass it gets a RESOURCE_EXHAUSTED
    /// reply with request id 0 and is closed. Without it, many connections
    /// that each start a large frame could exhaust memory before the stall
    /// timeout closes them.
    public var maxInboundBytes = 256 * 1024 * 1024
    /// How long a connection may take to complete a frame it has started,
    /// to send its Hello after connecting, or to read any of its queued
    /// replies, before it is closed without a reply.
    public var stallTimeout: Duration = .seconds(30)
    /// Delays for the Hello replies of peers with failed authentications.
    public var authThrottle = AuthFailureThrottle.Settings()

    public init() {}
}
