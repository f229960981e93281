import CTallySystem
import Foundation
import Glibc
import Synchronization
import TallyCore
import TallySocket
import TallyWire

/// One epoll event loop on its own thread: it accepts connections on its
/// listening socket, reads and parses frames, hands requests to the service,
/// and writes the replies that tasks post back to it.
final class EventLoop: @unchecked Sendable {
    // Safe because `connections`, `scratch` and the counters below are used
    // only on the loop's own thread, including in the extensions in
    // EventLoop+*.swift. Other threads reach the loop through
    // `inbox` (a Mutex) and the eventfd `wakeFD`.

    /// The destination of a reply: the connection and the request it replies to.
    struct Route: Sendable {
        var connectionID: UInt64
        var requestID: UInt32
        var method: UInt8
    }

    enum Message {
        case replies([(route: Route, reply: ServiceDispatcher.Reply)])
        /// A Hello reply held back by the failed-authentication throttle.
        case delayedHello(connectionID: UInt64, requestID: UInt32, reply: ServiceDispatcher.Reply, caller: Caller?)
        /// Close connections whose key the reloaded configuration no longer lists.
        case revalidateKeys
    }

    private static let listenerToken: UInt64 = 0
    private static let wakeToken: UInt64 = 1

    let index: Int
    private let listenFD: Int32
    let epollFD: Int32
    private let wakeFD: Int32
    let dispatcher: ServiceDispatcher
    let shared: ServerShared
    let logger: Logger

    private let inbox = Mutex<[Message]>([])
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    var connections: [UInt64: Connection] = [:]
    private var nextConnectionSerial: UInt64 = 0
    /// Requests parsed in this turn of the loop, handed to the service together
    /// at its end so one task and one core call per shard serve them all.
    private var pendingCalls: [ServiceDispatcher.Call] = []
    private var pendingRoutes: [Route] = []
    /// The read buffer. Its size also bounds what a connection can add to its
    /// decoder beyond one frame in a single read.
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)
    var lastSweepMs: Int64 = 0
    var warningBudget = WarningBudget(perSecond: 20)

    init(index: Int, listenFD: Int32, dispatcher: ServiceDispatcher, shared: ServerShared, logger: Logger) throws(SocketError) {
        self.index = index
        self.listenFD = listenFD
        self.dispatcher = dispatcher
        self.shared = shared
        self.logger = logger
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw .system("epoll_create1()", errno: errno) }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw .system("eventfd()", errno: errno) }
        guard tally_epoll_control(epollFD, EPOLL_CTL_ADD, listenFD, EPOLLIN.rawValue, Self.listenerToken) == 0,
              tally_epoll_control(epollFD, EPOLL_CTL_ADD, wakeFD, EPOLLIN.rawValue, Self.wakeToken) == 0 else {
            throw .system("epoll_ctl(EPOLL_CTL_ADD)", errno: errno)
        }
    }

    /// Starts the loop's thread.
    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "tally-loop-\(index)"
        thread.start()
    }

    /// Asks the loop to close everything and waits until its thread ends.
    func stop() {
        stopRequested.store(true, ordering: .releasing)
        wake()
        finished.wait()
    }

    /// Queues a message for the loop thread; callable from any thread.
    func post(_ message: Message) {
        let wasEmpty = inbox.withLock { inbox in
            inbox.append(message)
            return inbox.count == 1
        }
        // A non-empty inbox already has a wake-up on its way.
        if wasEmpty {
            wake()
        }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    // MARK: - The loop

    private func run() {
        var tokens = [UInt64](repeating: 0, count: 256)
        var events = [UInt32](repeating: 0, count: 256)
        while !stopRequested.load(ordering: .acquiring) {
            let count = tally_epoll_wait(epollFD, &tokens, &events, 256, Int32(sweepIntervalMs))
            if count < 0 {
                if errno == EINTR { continue }
                logger.critical("epoll_wait failed; the event loop stops",
                                metadata: ["loop.index": "\(index)", "error": "\(SocketError.system("epoll_wait()", errno: errno))"])
                break
            }
            for slot in 0..<Int(count) {
                handle(token: tokens[slot], events: events[slot])
            }
            submitPendingCalls()
            drainInbox()
            sweepStalledConnections()
        }
        for connection in Array(connections.values) {
            closeConnection(connection, reason: nil)
        }
        close(listenFD)
        close(wakeFD)
        close(epollFD)
    }

    private func handle(token: UInt64, events: UInt32) {
        switch token {
        case Self.listenerToken:
            acceptConnections()
        case Self.wakeToken:
            var value: UInt64 = 0
            _ = read(wakeFD, &value, 8)
        default:
            guard let connection = connections[token] else { return }
            if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 && events & EPOLLIN.rawValue == 0 {
                closeConnection(connection, reason: nil)
                return
            }
            if events & EPOLLRDHUP.rawValue != 0 && events & EPOLLIN.rawValue == 0 && !connection.peerShutDown {
                // Reading is paused, so the end of input waits until it resumes.
                connection.peerShutDown = true
                updateInterest(connection)
            }
            if events & EPOLLIN.rawValue != 0 {
                readAvailable(connection)
            }
            if events & EPOLLOUT.rawValue != 0, connections[token] != nil {
                flush(connection)
            }
        }
    }

    private func acceptConnections() {
        while true {
            let accepted: (fd: Int32, peer: SocketAddress)?
            do {
                accepted = try Socket.accept(from: listenFD)
            } catch {
                logger.error("accept failed", metadata: ["loop.index": "\(index)", "error": "\(error)"])
                return
            }
            guard let (fd, peerAddress) = accepted else { return }
            let peer = peerAddress.description
            let peerHost = peer.hostPart
            if let refusal = shared.admit(peerHost: peerHost) {
                refuse(fd: fd, peer: peer, refusal: refusal)
                continue
            }
            nextConnectionSerial += 1
            let id = (UInt64(index) << 48) | (nextConnectionSerial + 1)
            let connection = Connection(id: id, fd: fd, peer: peer, maxFrameLength: shared.limits.maxFrameBytes,
                                        nowMs: monotonicMs())
            guard tally_epoll_control(epollFD, EPOLL_CTL_ADD, fd, EPOLLIN.rawValue | EPOLLRDHUP.rawValue, id) == 0 else {
                logger.error("epoll_ctl failed for a new connection", metadata: ["peer": peer, "errno": "\(errno)"])
                shared.release(peerHost: peerHost)
                close(fd)
                continue
            }
            connections[id] = connection
            logger.debug("connection opened", metadata: ["connection.id": connection.logID, "peer": peer])
        }
    }

    // MARK: - Reading

    private func readAvailable(_ connection: Connection) {
        // Bounded per wake-up so one busy connection cannot starve the others.
        for _ in 0..<16 {
            guard connection.reading, !connection.closeAfterFlush else { return }
            let count = scratch.withUnsafeMutableBytes { buffer in
                read(connection.fd, buffer.baseAddress, buffer.count)
            }
            if count > 0 {
                scratch.withUnsafeBytes { buffer in
                    connection.decoder.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                }
                parseFrames(connection)
                if connections[connection.id] == nil { return }
                if count < scratch.count { return }
                continue
            }
            if count == 0 {
                closeConnection(connection, reason: nil)
                return
            }
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK { return }
            if code == EINTR { continue }
            closeConnection(connection, reason: "read failed: errno \(code)")
            return
        }
    }

    /// Replies RESOURCE_EXHAUSTED to a connection over a connection limit
    /// and closes it. The reply is a best-effort write into the new socket's
    /// empty send buffer and never blocks.
    private func refuse(fd: Int32, peer: String, refusal: ServerShared.Refusal) {
        warnAboutConnection("connection refused: \(refusal.message)", metadata: ["peer": peer])
        var frame: [UInt8] = []
        FrameEncoder.append(requestID: 0, kind: .reply, method: 0, status: .resourceExhausted,
                            payload: Array(refusal.message.utf8), to: &frame)
        _ = frame.withUnsafeBytes { buffer in
            send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        }
        close(fd)
    }

    func parseFrames(_ connection: Connection) {
        while !connection.closeAfterFlush && !connection.helloPending {
            let frame: Frame?
            do {
                frame = try connection.decoder.nextFrame()
            } catch {
                warnAboutConnection("invalid frame; closing the connection",
                               metadata: ["connection.id": connection.logID, "peer": connection.peer, "error": "\(error)"])
                queueReply(connection, requestID: 0, method: 0,
                           reply: .init(status: .invalidArgument, payload: Array("\(error)".utf8)))
                connection.closeAfterFlush = true
                break
            }
            guard let frame else { break }
            connection.frameStartedMs = nil
            handleFrame(frame, on: connection)
        }
        trackPartialFrame(connection)
        reserveInbound(connection)
        flush(connection)
    }

    /// Counts the connection's partial frame in the server-wide inbound
    /// total, and closes the connection when that would pass its maximum.
    private func reserveInbound(_ connection: Connection) {
        let buffered = connection.closeAfterFlush ? 0 : connection.decoder.bufferedByteCount
        let change = buffered - connection.reservedInboundBytes
        if change <= 0 {
            shared.releaseInbound(-change)
            connection.reservedInboundBytes = buffered
            return
        }
        if shared.reserveInbound(change) {
            connection.reservedInboundBytes = buffered
            return
        }
        let limit = shared.options.maxInboundBytes
        let message = "max_inbound_bytes: incomplete frames on all connections would pass \(limit) bytes, the maximum; retry later or send smaller frames"
        warnAboutConnection("connection closed: \(message)", metadata: ["connection.id": connection.logID, "peer": connection.peer])
        queueReply(connection, requestID: 0, method: 0, reply: .init(status: .resourceExhausted, payload: Array(message.utf8)))
        connection.closeAfterFlush = true
    }

    /// Notes when a partial frame began, for the stall timeout: a frame must
    /// complete within the timeout however slowly its bytes trickle in.
    private func trackPartialFrame(_ connection: Connection) {
        if connection.decoder.bufferedByteCount == 0 {
            connection.frameStartedMs = nil
        } else if connection.frameStartedMs == nil {
            connection.frameStartedMs = monotonicMs()
        }
    }

    func handleFrame(_ frame: Frame, on connection: Connection) {
        guard frame.kind == .request else {
            queueReply(connection, requestID: frame.requestID, method: frame.method,
                       reply: .init(status: .invalidArgument, payload: Array("frame kind must be 1 (request) from a client".utf8)))
            connection.closeAfterFlush = true
            return
        }
        // Before Hello, every other frame, even one of an unknown method, is
        // UNAUTHENTICATED, so an unauthenticated peer learns nothing more.
        guard let caller = connection.caller else {
            answerHello(frame, on: connection)
            return
        }
        guard let method = Method(rawValue: frame.method) else {
            queueReply(connection, requestID: frame.requestID, method: frame.method,
                       reply: .init(status: .unimplemented, payload: Array("method \(frame.method) is not implemented; methods are 0 to 4".utf8)))
            return
        }
        guard frame.status == .ok else {
            queueReply(connection, requestID: frame.requestID, method: frame.method,
                       reply: .init(status: .invalidArgument, payload: Array("a request's status byte must be 0".utf8)))
            return
        }
        guard connection.inFlight < shared.limits.maxInFlight else {
            let message = "max_in_flight: \(connection.inFlight) requests are in flight on this connection, the maximum; wait for replies before sending more"
            queueReply(connection, requestID: frame.requestID, method: frame.method,
                       reply: .init(status: .resourceExhausted, payload: Array(message.utf8)))
            return
        }
        connection.inFlight += 1
        pendingCalls.append(ServiceDispatcher.Call(method: method, payload: frame.payload, caller: caller))
        pendingRoutes.append(Route(connectionID: connection.id, requestID: frame.requestID, method: method.rawValue))
    }

    /// Hands this turn's requests to the service in one task.
    private func submitPendingCalls() {
        guard !pendingCalls.isEmpty else { return }
        let calls = pendingCalls
        let routes = pendingRoutes
        pendingCalls.removeAll(keepingCapacity: true)
        pendingRoutes.removeAll(keepingCapacity: true)
        let dispatcher = self.dispatcher
        Task {
            await dispatcher.dispatch(batch: calls) { replies in
                self.post(.replies(replies.map { (routes[$0.position], $0.reply) }))
            }
        }
    }

    private func drainInbox() {
        let messages = inbox.withLock { inbox in
            let taken = inbox
            inbox.removeAll(keepingCapacity: true)
            return taken
        }
        var touched: [UInt64: Connection] = [:]
        for message in messages {
            switch message {
            case .replies(let replies):
                for (route, reply) in replies {
                    guard let connection = connections[route.connectionID] else { continue }
                    connection.inFlight -= 1
                    queueReply(connection, requestID: route.requestID, method: route.method, reply: reply)
                    touched[route.connectionID] = connection
                }
            case .delayedHello(let connectionID, let requestID, let reply, let caller):
                deliverDelayedHello(connectionID: connectionID, requestID: requestID, reply: reply, caller: caller)
            case .revalidateKeys:
                for connection in Array(connections.values) {
                    if let caller = connection.caller, !dispatcher.service.keys.stillAccepts(caller) {
                        closeConnection(connection, reason: "its key was revoked (key \(caller.keyName))")
                    }
                }
            }
        }
        for connection in touched.values where connections[connection.id] != nil {
            flush(connection)
        }
    }
}

/// Milliseconds of the monotonic clock, for timeouts.
func monotonicMs() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension String {
    /// The host of `HOST:PORT` or `[HOST]:PORT`.
    var hostPart: String {
        guard let colon = lastIndex(of: ":") else { return self }
        return String(self[..<colon])
    }
}
