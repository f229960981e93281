import CTallySystem
import Glibc
import TallyWire

extension EventLoop {
    func queueReply(_ connection: Connection, requestID: UInt32, method: UInt8, reply: ServiceDispatcher.Reply) {
        if connection.pendingOutboundBytes == 0 {
            // The write stall timeout counts from when replies start waiting.
            connection.lastWriteMs = monotonicMs()
        }
        FrameEncoder.append(requestID: requestID, kind: .reply, method: method, status: reply.status,
                            payload: reply.payload, to: &connection.outbound)
    }

    func flush(_ connection: Connection) {
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

    func setReading(_ connection: Connection, _ reading: Bool) {
        guard connection.reading != reading else { return }
        connection.reading = reading
        updateInterest(connection)
    }

    func setWaitingToWrite(_ connection: Connection, _ waiting: Bool) {
        guard connection.waitingToWrite != waiting else { return }
        connection.waitingToWrite = waiting
        updateInterest(connection)
    }

    func updateInterest(_ connection: Connection) {
        var events: UInt32 = connection.peerShutDown ? 0 : EPOLLRDHUP.rawValue
        if connection.reading { events |= EPOLLIN.rawValue }
        if connection.waitingToWrite { events |= EPOLLOUT.rawValue }
        _ = tally_epoll_control(epollFD, EPOLL_CTL_MOD, connection.fd, events, connection.id)
    }
}
