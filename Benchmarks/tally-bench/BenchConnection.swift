import Glibc
import TallySocket
import TallyWire

/// One blocking TCP connection to tallyd, with its requests in flight and unparsed reply bytes.
struct BenchConnection {
    struct Pending {
        var start: UInt64
        var method: LoadMethod
        var measured: Bool
    }

    /// A reply taken from the receive buffer, without copying its payload unless asked.
    struct Reply {
        var requestID: UInt32
        var status: UInt8
        var payloadStart: Int
        var payloadEnd: Int
    }

    let fd: Int32
    var inFlight: [UInt32: Pending] = [:]
    var nextRequestID: UInt32 = 1
    var nextDue: UInt64 = 0
    var receive: [UInt8] = []
    var readIndex = 0
    var open = true
    var sendBuffer: [UInt8] = []
    var recordReplies = 0

    /// Connects and completes Hello; throws with the server's message when Hello fails.
    static func open(to address: SocketAddress, apiKey: String) throws(UsageError) -> BenchConnection {
        let fd: Int32
        do {
            fd = try Socket.connect(to: address)
        } catch {
            throw UsageError("connect: \(error.description)")
        }
        var connection = BenchConnection(fd: fd)
        let hello = HelloRequest(protocolVersion: WireProtocol.version, apiKey: apiKey, clientName: "tally-bench")
        var frame: [UInt8] = []
        FrameEncoder.append(
            requestID: 0, kind: .request, method: Method.hello.rawValue, status: .ok, payload: hello.serializedBytes(),
            to: &frame)
        connection.send(frame)
        while connection.open {
            connection.fill()
            if let reply = connection.nextReply() {
                guard reply.status == 0 else {
                    let message = String(decoding: connection.receive[reply.payloadStart..<reply.payloadEnd], as: UTF8.self)
                    throw UsageError("Hello failed with status \(reply.status): \(message)")
                }
                connection.compact()
                return connection
            }
        }
        throw UsageError("connection closed during Hello")
    }

    /// Writes `bytes` completely; marks the connection closed on failure.
    mutating func send(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            do {
                try Socket.writeAll(fd, buffer)
            } catch {
                open = false
            }
        }
    }

    /// Reads what the socket has (blocking until at least one byte or end of stream).
    mutating func fill() {
        compact()
        let received = withUnsafeTemporaryAllocation(byteCount: 65_536, alignment: 1) { scratch -> Int in
            let count = recv(fd, scratch.baseAddress!, scratch.count, 0)
            if count > 0 {
                receive.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            }
            return count
        }
        if received == 0 || (received < 0 && errno != EINTR) {
            open = false
        }
    }

    /// Returns the next complete reply in the receive buffer, or nil.
    mutating func nextReply() -> Reply? {
        let available = receive.count - readIndex
        guard available >= FrameHeader.size else { return nil }
        let header = receive.withUnsafeBytes { buffer in
            FrameHeader(bytes: UnsafeRawBufferPointer(rebasing: buffer[readIndex..<(readIndex + FrameHeader.size)]))
        }
        let frameSize = 4 + Int(header.length)
        guard available >= frameSize else { return nil }
        let reply = Reply(
            requestID: header.requestID, status: header.status, payloadStart: readIndex + FrameHeader.size,
            payloadEnd: readIndex + frameSize)
        readIndex += frameSize
        return reply
    }

    /// Drops consumed bytes at the front of the receive buffer.
    mutating func compact() {
        if readIndex == receive.count {
            receive.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > 0 {
            receive.removeFirst(readIndex)
            readIndex = 0
        }
    }

    func close() {
        Glibc.close(fd)
    }
}
