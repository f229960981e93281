import CTallySystem
import Foundation
import Glibc
import Synchronization
import TallySocket
import TallyWire

/// The socket under a `TallyClient`: writes frames under a lock and runs a
/// reader thread that matches replies to waiting calls by request id.
final class ClientConnection: Sendable {
    private struct Waiter {
        var continuation: CheckedContinuation<Frame, any Error>
        var deadlineMs: Int64
    }

    private struct State {
        var waiters: [UInt32: Waiter] = [:]
        var nextRequestID: UInt32 = 1
        /// The reason the connection is unusable; nil while it is open.
        var closedReason: String?
    }

    private let fd: Int32
    private let address: String
    private let timeoutMs: Int64
    private let state = Mutex(State())
    private let writeLock = Mutex(())

    init(fd: Int32, address: String, timeout: Duration) {
        self.fd = fd
        self.address = address
        let (seconds, attoseconds) = timeout.components
        self.timeoutMs = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let thread = Thread { [self] in readReplies() }
        thread.name = "tally-client-reader"
        thread.start()
    }

    /// Sends one request and waits for its reply, decoded as `Response`.
    func call<Request: WireMessage, Response: WireMessage>(_ method: Method, _ request: Request,
                                                           as: Response.Type) async throws(RPCError) -> Response {
        let payload = request.serializedBytes()
        let frame: Frame
        do {
            frame = try await withCheckedThrowingContinuation { continuation in
                send(method: method, payload: payload, continuation: continuation)
            }
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(code: .internal, message: "\(error)")
        }
        guard frame.status == .ok else {
            throw RPCError(code: frame.status, message: String(decoding: frame.payload, as: UTF8.self))
        }
        do {
            return try Response(serializedBytes: frame.payload)
        } catch {
            throw RPCError(code: .internal, message: "the reply to \(method.name) could not be decoded: \(error)")
        }
    }

    private func send(method: Method, payload: [UInt8], continuation: CheckedContinuation<Frame, any Error>) {
        let deadline = monotonicNowMs() + timeoutMs
        let registered: Result<UInt32, RPCError> = state.withLock { state in
            if let reason = state.closedReason {
                return .failure(RPCError(code: .unavailable, message: reason))
            }
            var id = state.nextRequestID
            while state.waiters[id] != nil || id == 0 {
                id &+= 1
            }
            state.nextRequestID = id &+ 1
            state.waiters[id] = Waiter(continuation: continuation, deadlineMs: deadline)
            return .success(id)
        }
        let requestID: UInt32
        switch registered {
        case .failure(let error):
            continuation.resume(throwing: error)
            return
        case .success(let id):
            requestID = id
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(FrameHeader.size + payload.count)
        FrameEncoder.append(requestID: requestID, kind: .request, method: method.rawValue, status: .ok,
                            payload: payload, to: &bytes)
        let failure = writeLock.withLock { _ -> SocketError? in
            bytes.withUnsafeBytes { buffer -> SocketError? in
                do throws(SocketError) {
                    try Socket.writeAll(fd, buffer)
                    return nil
                } catch {
                    return error
                }
            }
        }
        if let failure {
            fail(all: "connection to \(address) failed while sending: \(failure)")
        }
    }

    /// Decodes reply frames on the reader thread until the socket closes.
    private func readReplies() {
        var decoder = FrameDecoder(maxFrameLength: 64 * 1024 * 1024)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if state.withLock({ $0.closedReason != nil }) { break }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 250)
            expireWaiters()
            if ready == 0 { continue }
            if ready < 0 {
                if errno == EINTR { continue }
                fail(all: "connection to \(address) failed: poll() errno \(errno)")
                break
            }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 {
                fail(all: "connection to \(address) was closed by the server")
                break
            }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                fail(all: "connection to \(address) failed while reading: errno \(errno)")
                break
            }
            buffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            do {
                while let frame = try decoder.nextFrame() {
                    deliver(frame)
                }
            } catch {
                fail(all: "connection to \(address) sent an invalid frame: \(error)")
                break
            }
        }
        writeLock.withLock { _ in
            _ = Glibc.close(fd)
        }
    }

    private func deliver(_ frame: Frame) {
        if frame.requestID == 0 {
            // The server answers request id 0 only when it drops the connection,
            // for example after a frame it could not parse.
            fail(all: "\(frame.status.name): \(String(decoding: frame.payload, as: UTF8.self))", code: frame.status)
            return
        }
        let waiter = state.withLock { $0.waiters.removeValue(forKey: frame.requestID) }
        waiter?.continuation.resume(returning: frame)
    }

    private func expireWaiters() {
        let now = monotonicNowMs()
        let expired: [Waiter] = state.withLock { state in
            let late = state.waiters.filter { $0.value.deadlineMs <= now }
            for id in late.keys { state.waiters[id] = nil }
            return Array(late.values)
        }
        for waiter in expired {
            waiter.continuation.resume(throwing: RPCError(code: .deadlineExceeded,
                                                          message: "no reply from \(address) within \(timeoutMs) ms"))
        }
    }

    private func fail(all reason: String, code: StatusCode = .unavailable) {
        let waiters: [Waiter] = state.withLock { state in
            if state.closedReason == nil { state.closedReason = reason }
            let all = Array(state.waiters.values)
            state.waiters.removeAll()
            return all
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: RPCError(code: code, message: reason))
        }
    }

    func close() {
        let first = state.withLock { state -> Bool in
            guard state.closedReason == nil else { return false }
            state.closedReason = "connection to \(address) was closed by the client"
            return true
        }
        if first {
            shutdown(fd, Int32(SHUT_RDWR))
        }
        fail(all: "connection to \(address) was closed by the client")
    }
}

private func monotonicNowMs() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}
