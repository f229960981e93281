import CTallySystem
import Glibc
import TallyCore

extension EventLoop {
    /// How often the loop checks for stalled connections: a quarter of the
    /// stall timeout, between 50 ms and 1 s.
    var sweepIntervalMs: Int64 {
        min(1000, max(50, shared.options.stallTimeout.milliseconds / 4))
    }

    /// Closes connections that keep server memory without progress: a frame
    /// started but not completed, no Hello after connecting, or queued
    /// replies that the client does not read. Connections waiting for a
    /// delayed Hello reply are exempt, because the server itself delays them.
    func sweepStalledConnections() {
        let now = monotonicMs()
        guard now - lastSweepMs >= sweepIntervalMs else { return }
        lastSweepMs = now
        reportSuppressedWarnings(warningBudget.takeSuppressed(nowMs: now))
        let timeoutMs = shared.options.stallTimeout.milliseconds
        for connection in Array(connections.values) where !connection.helloPending {
            if let started = connection.frameStartedMs, now - started > timeoutMs {
                closeConnection(connection, reason: "stall_timeout: a frame started \(now - started) ms ago and is still incomplete; the limit is \(timeoutMs) ms")
            } else if connection.caller == nil, connection.pendingOutboundBytes == 0, !connection.closeAfterFlush,
                      now - connection.openedMs > timeoutMs {
                closeConnection(connection, reason: "stall_timeout: no Hello within \(timeoutMs) ms of connecting")
            } else if connection.pendingOutboundBytes > 0, now - connection.lastWriteMs > timeoutMs {
                closeConnection(connection, reason: "stall_timeout: \(connection.pendingOutboundBytes) reply bytes went unread for over \(timeoutMs) ms")
            }
        }
    }

    /// Logs a warning about one connection unless this loop has logged its
    /// allowance for the current second, in which case the warning is counted.
    func warnAboutConnection(_ message: String, metadata: Logger.Metadata) {
        let (allowed, suppressedEarlier) = warningBudget.spend(nowMs: monotonicMs())
        reportSuppressedWarnings(suppressedEarlier)
        if allowed {
            logger.warning(message, metadata: metadata)
        }
    }

    private func reportSuppressedWarnings(_ count: Int) {
        guard count > 0 else { return }
        logger.warning("connection warnings suppressed", metadata: [
            "loop.index": "\(index)", "suppressed": "\(count)", "allowance_per_second": "\(warningBudget.perSecond)",
        ])
    }

    func closeConnection(_ connection: Connection, reason: String?) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, connection.fd, nil)
        close(connection.fd)
        shared.release(peerHost: connection.peer.hostPart)
        shared.releaseInbound(connection.reservedInboundBytes)
        connection.reservedInboundBytes = 0
        if let reason {
            warnAboutConnection("connection closed: \(reason)", metadata: ["connection.id": connection.logID, "peer": connection.peer])
        } else {
            logger.debug("connection closed", metadata: ["connection.id": connection.logID, "peer": connection.peer])
        }
    }
}
