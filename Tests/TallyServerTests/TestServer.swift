import Foundation
import Glibc
import TallyClient
import TallyCore
import TallyServer
import TallySocket
import TallyWire

/// A tallyd assembled in-process on a free loopback port, with its own data
/// directory, for tests that talk to it over real sockets.
final class TestServer: Sendable {
    let core: MeteringCore
    let server: NativeServer
    let address: String
    let directory: String

    /// Fixed "now" for every test server: 2026-12-04T12:00:00Z.
    static let nowMs: Int64 = 1_796_385_600_000

    init(configuration: ServerConfiguration = .embeddedDefault(), limits: ServiceLimits = ServiceLimits(),
         transport: TransportOptions = TransportOptions(), logSink: LogSink? = nil) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-server-\(UUID().uuidString)").path
        var storage = StorageOptions(directory: directory)
        storage.shardCount = 2
        let logger = logSink.map { Logger(label: "test", logLevel: .debug, sink: $0) } ?? Logger(label: "test", logLevel: .critical)
        core = try await MeteringCore.open(configuration: configuration.metering, storage: storage,
                                         limits: limits.recordLimits, logger: logger)
        let keys = KeyStore(configuration: configuration)
        let service = MeteringService(core: core, keys: keys, limits: limits, clock: { TestServer.nowMs })
        server = try NativeServer(address: try SocketAddress.resolve("127.0.0.1:0"),
                                  dispatcher: ServiceDispatcher(service: service), options: transport, logger: logger)
        address = server.boundAddress.description
    }

    func client(apiKey: String = "") async throws -> TallyClient {
        try await TallyClient.connect(to: address, apiKey: apiKey, timeout: .seconds(10))
    }

    /// Waits until `condition` holds, checking every 50 ms for at most `seconds`;
    /// returns whether it held.
    func eventually(within seconds: Double = 20, _ condition: @Sendable () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    func shutdown() async {
        server.stop()
        await core.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A raw TCP connection for sending hand-made bytes to the server. Its
/// blocking reads run on a thread of their own, so they never hold up the
/// cooperative pool that the in-process server's handlers run on.
final class RawConnection: @unchecked Sendable {
    // Safe because the descriptor and the decoder are only used by one call at
    // a time, as each test awaits every read before the next.
    let fd: Int32
    private var decoder = FrameDecoder(maxFrameLength: 64 << 20)

    /// Connects; a read that waits longer than `readTimeout` seconds gives up.
    init(address: String, readTimeout: Int = 5) throws {
        fd = try Socket.connect(to: try SocketAddress.resolve(address))
        var timeout = timeval(tv_sec: readTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Shrinks the kernel's receive buffer, so unread replies back up into the server sooner.
    func shrinkReceiveBuffer(to bytes: Int32) {
        var size = bytes
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    func send(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in try Socket.writeAll(fd, buffer) }
    }

    func sendFrame(requestID: UInt32, method: UInt8, payload: [UInt8]) throws {
        var bytes: [UInt8] = []
        FrameEncoder.append(requestID: requestID, kind: .request, method: method, status: .ok, payload: payload, to: &bytes)
        try send(bytes)
    }

    /// Reads one frame; nil when the server closed the connection or 5 s passed.
    func readFrame() async -> Frame? {
        await offPool { self.readFrameBlocking() }
    }

    /// True when the server has closed its end (a read returns 0).
    func isClosedByPeer() async -> Bool {
        await offPool {
            var byte: UInt8 = 0
            return recv(self.fd, &byte, 1, 0) == 0
        }
    }

    /// Reads and discards frames until the server closes the connection;
    /// returns how many whole frames arrived, or nil when a read timed out first.
    func drainUntilClosed() async -> Int? {
        await offPool {
            var frames = 0
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                while (try? self.decoder.nextFrame()) != nil { frames += 1 }
                let count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
                if count == 0 { return frames }
                if count < 0 { return errno == ECONNRESET ? frames : nil }
                buffer.withUnsafeBytes { self.decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            }
        }
    }

    private func offPool<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    private func readFrameBlocking() -> Frame? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let frame = try? decoder.nextFrame() { return frame }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return nil }
            buffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    func helloFrame(apiKey: String = "") throws {
        try sendFrame(requestID: 1, method: Method.hello.rawValue,
                      payload: HelloRequest(protocolVersion: 1, apiKey: apiKey, clientName: "raw").serializedBytes())
    }

    deinit {
        close(fd)
    }
}
