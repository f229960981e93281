import TallyWire

/// One client connection's state. Only its event loop's thread touches it.
final class Connection {
    let id: UInt64
    let fd: Int32
    /// The id as logs print it: the event loop's index, a dash, and the
    /// connection's serial number on that loop.
    var logID: String { "\(id >> 48)-\(id & 0xFFFF_FFFF_FFFF)" }
    let peer: String
    var decoder: FrameDecoder
    /// Bytes of the decoder's partial frame counted in the server-wide
    /// inbound total.
    var reservedInboundBytes = 0
    /// Set once Hello succeeds.
    var caller: Caller?
    /// True while a delayed Hello reply is pending; the connection reads
    /// nothing until it is sent.
    var helloPending = false
    /// Requests handed to the service whose replies are not queued yet.
    var inFlight = 0
    /// Encoded reply frames not yet written, from `outboundOffset` on.
    var outbound: [UInt8] = []
    var outboundOffset = 0
    /// Whether EPOLLIN is in the connection's epoll interest.
    var reading = true
    /// Whether EPOLLOUT is in the connection's epoll interest.
    var waitingToWrite = false
    /// Set once the peer shut down its sending side while reading was paused,
    /// so EPOLLRDHUP leaves the interest set instead of firing again and again.
    var peerShutDown = false
    /// Close once the queued replies are written; read nothing more.
    var closeAfterFlush = false
    /// Monotonic milliseconds when the connection was accepted.
    let openedMs: Int64
    /// Monotonic milliseconds when the partial frame in the decoder began;
    /// nil when the decoder holds no bytes.
    var frameStartedMs: Int64?
    /// Monotonic milliseconds of the last write progress, or of the moment
    /// the reply queue went from empty to non-empty.
    var lastWriteMs: Int64

    init(id: UInt64, fd: Int32, peer: String, maxFrameLength: Int, nowMs: Int64) {
        self.id = id
        self.fd = fd
        self.peer = peer
        self.decoder = FrameDecoder(maxFrameLength: maxFrameLength)
        self.openedMs = nowMs
        self.lastWriteMs = nowMs
    }

    var pendingOutboundBytes: Int { outbound.count - outboundOffset }
}
