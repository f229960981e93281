import TallyWire

/// One client connection's state. Only its event loop's thread touches it.
final class Connection {
    let id: UInt64
    let fd: Int32
    let peer: String
    var decoder: FrameDecoder
    /// Set once Hello succeeds.
    var caller: Caller?
    /// Requests handed to the service whose replies are not queued yet.
    var inFlight = 0
    /// Encoded reply frames not yet written, from `outboundOffset` on.
    var outbound: [UInt8] = []
    var outboundOffset = 0
    /// Whether EPOLLIN is in the connection's epoll interest.
    var reading = true
    /// Whether EPOLLOUT is in the connection's epoll interest.
    var waitingToWrite = false
    /// Close once the queued replies are written; read nothing more.
    var closeAfterFlush = false
    /// Monotonic milliseconds of the last byte read, and of the last byte
    /// written while replies were queued.
    var lastReadMs: Int64
    var lastWriteMs: Int64

    init(id: UInt64, fd: Int32, peer: String, maxFrameLength: Int, nowMs: Int64) {
        self.id = id
        self.fd = fd
        self.peer = peer
        self.decoder = FrameDecoder(maxFrameLength: maxFrameLength)
        self.lastReadMs = nowMs
        self.lastWriteMs = nowMs
    }

    var pendingOutboundBytes: Int { outbound.count - outboundOffset }
}
