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
    // only on the loop's own thread. Other threads reach the loop through
    // `inbox` (a Mutex) and the eventfd `wakeFD`.

    enum Message {
        case reply(connectionID: UInt64, requestID: UInt32, method: UInt8, reply: ServiceDispatcher.Reply)
        /// Close connections whose key the reloaded configuration no longer lists.
        case revalidateKeys
    }

    private static let listenerToken: UInt64 = 0
    private static let wakeToken: UInt64 = 1

    let index: Int
    private let listenFD: Int32
    private let epollFD: Int32
    private let wakeFD: Int32
    private let dispatcher: ServiceDispatcher
    private let shared: ServerShared
    private let logger: Logger

    private let inbox = Mutex<[Message]>([])
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    private var connections: [UInt64: Connection] = [:]
    private var nextConnectionSerial: UInt64 = 0
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)
    private var lastSweepMs: Int64 = 0

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
        inbox.withLock { $0.append(message) }
        wake()
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
            let count = tally_epoll_wait(epollFD, &tokens, &events, 256, 1000)
            if count < 0 {
                if errno == EINTR { continue }
                logger.critical("epoll_wait failed; the event loop stops",
                                metadata: ["loop.index": "\(index)", "error": "\(SocketError.system("epoll_wait()", errno: errno))"])
                break
            }
            for slot in 0..<Int(count) {
                handle(token: tokens[slot], events: events[slot])
            }
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
            guard shared.admit(peerHost: peerHost) else {
                logger.warning("connection refused: connection limit reached",
                               metadata: ["peer": peer, "limit.total": "\(shared.options.maxConnections)",
                                          "limit.per_peer": "\(shared.options.maxConnectionsPerPeer)"])
                close(fd)
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
            logger.debug("connection opened", metadata: ["connection.id": "\(id)", "peer": peer])
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
                connection.lastReadMs = monotonicMs()
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

    private func parseFrames(_ connection: Connection) {
        while !connection.closeAfterFlush {
            let frame: Frame?
            do {
                frame = try connection.decoder.nextFrame()
            } catch {
                logger.warning("invalid frame; closing the connection",
                               metadata: ["connection.id": "\(connection.id)", "peer": connection.peer, "error": "\(error)"])
                queueReply(connection, requestID: 0, method: 0,
                           reply: .init(status: .invalidArgument, payload: Array("\(error)".utf8)))
                connection.closeAfterFlush = true
                break
            }
            guard let frame else { break }
            handleFrame(frame, on: connection)
        }
        flush(connection)
    }

    private func handleFrame(_ frame: Frame, on connection: Connection) {
        guard frame.kind == .request else {
            queueReply(connection, requestID: frame.requestID, method: frame.method,
                       reply: .init(status: .invalidArgument, payload: Array("frame kind must be 1 (request) from a client".utf8)))
            connection.closeAfterFlush = true
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
        guard let caller = connection.caller else {
            answerHello(frame, method: method, on: connection)
            return
        }
        guard connection.inFlight < shared.limits.maxInFlight else {
            let message = "\(connection.inFlight) requests are in flight on this connection, the maximum; wait for replies before sending more"
            queueReply(connection, requestID: frame.requestID, method: frame.method,
                       reply: .init(status: .resourceExhausted, payload: Array(message.utf8)))
            return
        }
        connection.inFlight += 1
        let connectionID = connection.id
        let requestID = frame.requestID
        let payload = frame.payload
        let dispatcher = self.dispatcher
        Task {
            let reply = await dispatcher.dispatch(method: method, payload: payload, caller: caller)
            self.post(.reply(connectionID: connectionID, requestID: requestID, method: method.rawValue, reply: reply))
        }
    }

    private func answerHello(_ frame: Frame, method: Method, on connection: Connection) {
        guard method == .hello else {
            queueReply(connection, requestID: frame.requestID, method: frame.method,
                       reply: .init(status: .unauthenticated, payload: Array("the first request on a connection must be Hello (method 0)".utf8)))
            connection.closeAfterFlush = true
            return
        }
        switch dispatcher.hello(payload: frame.payload) {
        case .success(let (reply, caller)):
            connection.caller = caller
            queueReply(connection, requestID: frame.requestID, method: frame.method, reply: reply)
            logger.debug("connection authenticated",
                         metadata: ["connection.id": "\(connection.id)", "key.name": caller.keyName, "role": caller.role.rawValue])
        case .failure(let error):
            queueReply(connection, requestID: frame.requestID, method: frame.method, reply: .failure(error))
            connection.closeAfterFlush = true
            shared.countFailedHello()
            logger.warning("Hello rejected", metadata: ["connection.id": "\(connection.id)", "peer": connection.peer,
                                                        "status": error.code.name, "reason": error.message])
        }
    }

    // MARK: - Writing

    private func drainInbox() {
        let messages = inbox.withLock { inbox in
            let taken = inbox
            inbox.removeAll(keepingCapacity: true)
            return taken
        }
        var touched: [UInt64: Connection] = [:]
        for message in messages {
            switch message {
            case .reply(let connectionID, let requestID, let method, let reply):
                guard let connection = connections[connectionID] else { continue }
                connection.inFlight -= 1
                queueReply(connection, requestID: requestID, method: method, reply: reply)
                touched[connectionID] = connection
            case .revalidateKeys:
                for connection in Array(connections.values) {
                    if let caller = connection.caller, !dispatcher.service.keys.stillAccepts(caller) {
                        closeConnection(connection, reason: "its key was revoked")
                    }
                }
            }
        }
        for connection in touched.values where connections[connection.id] != nil {
            flush(connection)
        }
    }

    private func queueReply(_ connection: Connection, requestID: UInt32, method: UInt8, reply: ServiceDispatcher.Reply) {
        FrameEncoder.append(requestID: requestID, kind: .reply, method: method, status: reply.status,
                            payload: reply.payload, to: &connection.outbound)
    }

    private func flush(_ connection: Connection) {
        while connection.pendingOutboundBytes > 0 {
            let written = connection.outbound.withUnsafeBytes { buffer in
                send(connection.fd, buffer.baseAddress! + connection.outboundOffset, connection.pendingOutboundBytes,
                     Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                connection.outboundOffset += written
                connection.lastWriteMs = monotonicMs()
                continue
            }
            let code = errno
            if written < 0 && code == EINTR { continue }
            if written < 0 && (code == EAGAIN || code == EWOULDBLOCK) { break }
            closeConnection(connection, reason: "write failed: errno \(code)")
            return
        }
        if connection.pendingOutboundBytes == 0 {
            connection.outbound.removeAll(keepingCapacity: connection.outbound.capacity <= 1 << 20)
            connection.outboundOffset = 0
            if connection.closeAfterFlush {
                closeConnection(connection, reason: nil)
                return
            }
        } else if connection.outboundOffset > connection.outbound.count / 2 {
            connection.outbound.removeFirst(connection.outboundOffset)
            connection.outboundOffset = 0
        }
        let backlogged = connection.pendingOutboundBytes > shared.options.maxOutboundBytes
        setReading(connection, !backlogged && !connection.closeAfterFlush)
        setWaitingToWrite(connection, connection.pendingOutboundBytes > 0)
    }

    private func setReading(_ connection: Connection, _ reading: Bool) {
        guard connection.reading != reading else { return }
        connection.reading = reading
        updateInterest(connection)
    }

    private func setWaitingToWrite(_ connection: Connection, _ waiting: Bool) {
        guard connection.waitingToWrite != waiting else { return }
        connection.waitingToWrite = waiting
        updateInterest(connection)
    }

    private func updateInterest(_ connection: Connection) {
        var events = EPOLLRDHUP.rawValue
        if connection.reading { events |= EPOLLIN.rawValue }
        if connection.waitingToWrite { events |= EPOLLOUT.rawValue }
        _ = tally_epoll_control(epollFD, EPOLL_CTL_MOD, connection.fd, events, connection.id)
    }

    // MARK: - Closing

    private func sweepStalledConnections() {
        let now = monotonicMs()
        guard now - lastSweepMs >= 1000 else { return }
        lastSweepMs = now
        let timeoutMs = shared.options.stallTimeout.milliseconds
        for connection in Array(connections.values) {
            if connection.decoder.bufferedByteCount > 0, now - connection.lastReadMs > timeoutMs {
                closeConnection(connection, reason: "a partial frame stalled for over \(timeoutMs) ms")
            } else if connection.pendingOutboundBytes > 0, now - connection.lastWriteMs > timeoutMs {
                closeConnection(connection, reason: "queued replies went unread for over \(timeoutMs) ms")
            }
        }
    }

    private func closeConnection(_ connection: Connection, reason: String?) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, connection.fd, nil)
        close(connection.fd)
        shared.release(peerHost: connection.peer.hostPart)
        if let reason {
            logger.warning("connection closed: \(reason)", metadata: ["connection.id": "\(connection.id)", "peer": connection.peer])
        } else {
            logger.debug("connection closed", metadata: ["connection.id": "\(connection.id)", "peer": connection.peer])
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
