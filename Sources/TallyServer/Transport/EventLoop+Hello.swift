import TallyCore
import TallyWire

extension EventLoop {
    /// Answers the first frame of a connection, which must be Hello.
    ///
    /// A peer with recent failed authentications gets its reply, right or
    /// wrong, only after the throttle's delay. The loop thread does not wait:
    /// the connection stops reading, and a task posts the reply back later.
    func answerHello(_ frame: Frame, on connection: Connection) {
        guard frame.knownMethod == .hello else {
            queueReply(connection, requestID: frame.requestID, method: frame.method,
                       reply: .init(status: .unauthenticated, payload: Array("the first request on a connection must be Hello (method 0)".utf8)))
            connection.closeAfterFlush = true
            return
        }
        guard frame.status == .ok else {
            queueReply(connection, requestID: frame.requestID, method: frame.method,
                       reply: .init(status: .invalidArgument, payload: Array("a request's status byte must be 0".utf8)))
            return
        }
        let peerHost = connection.peer.hostPart
        let nowMs = monotonicMs()
        let delay = shared.authThrottle.delay(peer: peerHost, nowMs: nowMs)

        let reply: ServiceDispatcher.Reply
        let caller: Caller?
        switch dispatcher.hello(payload: frame.payload) {
        case .success(let (success, authenticated)):
            reply = success
            caller = authenticated
        case .failure(let error):
            reply = .failure(error)
            caller = nil
            var metadata: Logger.Metadata = [
                "connection.id": connection.logID, "peer": connection.peer,
                "status": error.code.name, "reason": error.message,
            ]
            if error.code == .unauthenticated {
                let score = shared.authThrottle.recordFailure(peer: peerHost, nowMs: nowMs)
                metadata["peer.failure_score"] = "\(Int(score.rounded()))"
                metadata["failures.total"] = "\(shared.authThrottle.totalFailures)"
            }
            warnAboutConnection("Hello rejected", metadata: metadata)
        }

        guard delay > .zero else {
            completeHello(connection, requestID: frame.requestID, reply: reply, caller: caller)
            return
        }
        connection.helloPending = true
        setReading(connection, false)
        logger.debug("Hello reply delayed after failed authentications from this peer",
                     metadata: ["connection.id": connection.logID, "peer": connection.peer,
                                "delay_ms": "\(delay.milliseconds)"])
        let connectionID = connection.id
        let requestID = frame.requestID
        Task {
            try? await Task.sleep(for: delay)
            self.post(.delayedHello(connectionID: connectionID, requestID: requestID, reply: reply, caller: caller))
        }
    }

    /// Queues a Hello reply and, on success, marks the connection authenticated.
    /// A failed Hello closes the connection once the reply is written.
    func completeHello(_ connection: Connection, requestID: UInt32, reply: ServiceDispatcher.Reply, caller: Caller?) {
        queueReply(connection, requestID: requestID, method: Method.hello.rawValue, reply: reply)
        guard let caller else {
            connection.closeAfterFlush = true
            return
        }
        connection.caller = caller
        logger.debug("connection authenticated",
                     metadata: ["connection.id": connection.logID, "key.name": caller.keyName, "role": caller.role.rawValue])
    }

    /// Sends a delayed Hello reply, then parses what the client sent meanwhile.
    func deliverDelayedHello(connectionID: UInt64, requestID: UInt32, reply: ServiceDispatcher.Reply, caller: Caller?) {
        guard let connection = connections[connectionID] else { return }
        connection.helloPending = false
        // A key revoked during the delay no longer opens the connection.
        let accepted = caller.map { dispatcher.service.keys.stillAccepts($0) } ?? false
        if caller != nil && !accepted {
            let error = RPCError(code: .unauthenticated, message: "api_key is not valid; pass the key this server's configuration lists")
            completeHello(connection, requestID: requestID, reply: .failure(error), caller: nil)
        } else {
            completeHello(connection, requestID: requestID, reply: reply, caller: caller)
        }
        if !connection.closeAfterFlush {
            connection.reading = true
            updateInterest(connection)
            parseFrames(connection)
        } else {
            flush(connection)
        }
    }
}
