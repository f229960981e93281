// libFuzzer entry point for tallyd's request path. Bytes go through the
// FrameDecoder. Each frame's payload is decoded as the message that its kind
// and method select: the request, or the response of an OK reply, which a
// client decodes. A message that decodes is re-encoded, and decoding that must
// give an equal message.
//
// The request frames of one input then run as one batch through
// ServiceDispatcher, as the server runs the requests of one event-loop turn.
// They reach a real MeteringCore in a temporary directory, as an agent,
// service or admin caller.
//
// Built by Fuzz/run.sh with `swiftc -sanitize=fuzzer,address`.

import Dispatch
import Foundation
import Glibc
import TallyCore
import TallyServer
import TallyWire

/// The fuzzer's long-lived state. libFuzzer calls the entry point from one
/// thread at a time, so the mutable globals below are never shared.
enum FuzzHarness {
    static let agentKey = "fuzz-agent-key-000000000000"
    static let serviceKey = "fuzz-service-key-00000000000"
    static let adminKey = "fuzz-admin-key-0000000000000"
    static let nowMs: Int64 = 1_796_385_600_000
    /// RecordUsage calls after which the core is replaced by an empty one, so
    /// that stored records do not grow without bound over a long run.
    static let recordCallsPerCore = 2_000
    static let maxFramesPerInput = 16

    nonisolated(unsafe) static var core: MeteringCore?
    nonisolated(unsafe) static var dispatcher: ServiceDispatcher?
    nonisolated(unsafe) static var directory = ""
    nonisolated(unsafe) static var recordCalls = 0
    nonisolated(unsafe) static var generation = 0

    static let callers: [Caller] = [
        Caller(role: .agent, account: "acme", keyName: "agent"),
        Caller(role: .service, account: nil, keyName: "service"),
        Caller(role: .admin, account: nil, keyName: "admin"),
    ]

    static func configuration() -> ServerConfiguration {
        let json = """
        {"plans": {"small": {"tokens": 100000, "decisions": 50, "sessions": 20}, "unlimited": {}},
         "accounts": {"acme": {"plan": "small", "time_zone": "Europe/Berlin"}, "lab": {"plan": "unlimited"}},
         "keys": [
           {"sha256": "\(KeyStore.sha256Hex(agentKey))", "role": "agent", "account": "acme"},
           {"sha256": "\(KeyStore.sha256Hex(serviceKey))", "role": "service"},
           {"sha256": "\(KeyStore.sha256Hex(adminKey))", "role": "admin"}]}
        """
        do {
            return try ServerConfiguration.parse(Data(json.utf8), source: "fuzz.json")
        } catch {
            fatalError("fuzz configuration is invalid: \(error)")
        }
    }

    /// Runs `body` on the cooperative pool and blocks the calling thread until it ends.
    static func blocking<Value: Sendable>(_ body: @escaping @Sendable () async -> Value) -> Value {
        let box = ResultBox<Value>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.value = await body()
            done.signal()
        }
        done.wait()
        return box.value!
    }

    /// Closes the current core, if any, and opens an empty one.
    static func openFreshCore() {
        if let core {
            blocking { await core.close() }
            try? FileManager.default.removeItem(atPath: directory)
        }
        generation += 1
        directory = NSTemporaryDirectory() + "tally-fuzz-\(getpid())-\(generation)"
        var storage = StorageOptions(directory: directory)
        storage.durability = .interval
        storage.shardCount = 1
        storage.snapshotInterval = .seconds(86_400)
        let options = storage
        let configuration = configuration()
        let logger = Logger(label: "fuzz", logLevel: .critical)
        let opened: MeteringCore? = blocking {
            try? await MeteringCore.open(configuration: configuration.metering, storage: options, logger: logger)
        }
        guard let opened else { fatalError("cannot open a core in \(directory)") }
        core = opened
        let service = MeteringService(core: opened, keys: KeyStore(configuration: configuration), clock: { nowMs })
        dispatcher = ServiceDispatcher(service: service)
        recordCalls = 0
    }

    static func run(_ input: UnsafeRawBufferPointer) {
        guard let control = input.first, let dispatcher else { return }
        let body = UnsafeRawBufferPointer(rebasing: input[1...])
        // Bits 0-5 pick the chunk size the bytes arrive in (0 = all at once),
        // bits 6-7 the caller.
        let chunkSize = Int(control & 0x3f)
        let caller = callers[Int(control >> 6) % callers.count]

        var decoder = FrameDecoder(maxFrameLength: 65_536)
        var frames: [Frame] = []
        var offset = 0
        feeding: while offset < body.count {
            let end = chunkSize == 0 ? body.count : min(body.count, offset + chunkSize)
            decoder.append(UnsafeRawBufferPointer(rebasing: body[offset..<end]))
            offset = end
            while true {
                if frames.count == maxFramesPerInput { break feeding }
                do {
                    guard let frame = try decoder.nextFrame() else { break }
                    frames.append(frame)
                } catch {
                    break feeding
                }
            }
            // What stays buffered is at most one partial frame: the server's
            // per-connection memory bound.
            precondition(decoder.bufferedByteCount < 4 + decoder.maxFrameLength,
                         "decoder holds \(decoder.bufferedByteCount) bytes after returning every complete frame")
        }

        var calls: [ServiceDispatcher.Call] = []
        for frame in frames {
            guard let method = frame.knownMethod else { continue }
            switch frame.kind {
            case .reply:
                // A client decodes the payload of an OK reply.
                if frame.status == .ok {
                    roundTripResponse(method: method, frame.payload)
                }
            case .request:
                roundTripRequest(method: method, frame.payload)
                if method == .hello {
                    _ = dispatcher.hello(payload: frame.payload)
                } else {
                    calls.append(ServiceDispatcher.Call(method: method, payload: frame.payload, caller: caller))
                }
            }
        }
        if !calls.isEmpty {
            dispatch(calls, dispatcher: dispatcher)
        }
        if recordCalls >= recordCallsPerCore {
            openFreshCore()
        }
    }

    /// Runs an input's requests as one batch, as the server runs the requests
    /// that one event-loop turn reads, and checks every reply.
    static func dispatch(_ calls: [ServiceDispatcher.Call], dispatcher: ServiceDispatcher) {
        recordCalls += calls.count { $0.method == .recordUsage }
        let collected = ReplyCollector()
        blocking {
            await dispatcher.dispatch(batch: calls) { replies in collected.add(replies) }
        }
        let replies = collected.sortedByPosition()
        precondition(replies.map(\.position) == Array(calls.indices),
                     "a batch of \(calls.count) calls got replies for positions \(replies.map(\.position))")
        for (position, reply) in replies {
            let method = calls[position].method
            if reply.status == .ok {
                checkReplyDecodes(method: method, payload: reply.payload)
            } else {
                precondition(!reply.payload.isEmpty, "\(method) failed with \(reply.status) and no message")
            }
        }
    }

    /// An OK reply must decode as its method's response message.
    static func checkReplyDecodes(method: Method, payload: [UInt8]) {
        do {
            switch method {
            case .hello: _ = try HelloResponse(serializedBytes: payload)
            case .recordUsage: _ = try RecordUsageResponse(serializedBytes: payload)
            case .getSummary: _ = try GetSummaryResponse(serializedBytes: payload)
            case .listRecords: _ = try ListRecordsResponse(serializedBytes: payload)
            case .getQuota: _ = try GetQuotaResponse(serializedBytes: payload)
            }
        } catch {
            preconditionFailure("the server's \(method) reply does not decode: \(error)")
        }
    }

    static func roundTripRequest(method: Method, _ payload: [UInt8]) {
        switch method {
        case .hello: roundTrip(HelloRequest.self, payload)
        case .recordUsage: roundTrip(RecordUsageRequest.self, payload)
        case .getSummary: roundTrip(GetSummaryRequest.self, payload)
        case .listRecords: roundTrip(ListRecordsRequest.self, payload)
        case .getQuota: roundTrip(GetQuotaRequest.self, payload)
        }
    }

    static func roundTripResponse(method: Method, _ payload: [UInt8]) {
        switch method {
        case .hello: roundTrip(HelloResponse.self, payload)
        case .recordUsage: roundTrip(RecordUsageResponse.self, payload)
        case .getSummary: roundTrip(GetSummaryResponse.self, payload)
        case .listRecords: roundTrip(ListRecordsResponse.self, payload)
        case .getQuota: roundTrip(GetQuotaResponse.self, payload)
        }
    }

    /// Decodes `payload`; when that succeeds, encoding and decoding again must
    /// give an equal message.
    static func roundTrip<Message: WireMessage>(_ type: Message.Type, _ payload: [UInt8]) {
        guard let message = try? Message(serializedBytes: payload) else { return }
        let encoded = message.serializedBytes()
        do {
            let again = try Message(serializedBytes: encoded)
            precondition(again == message, "\(Message.self) changed in a round trip")
        } catch {
            preconditionFailure("re-encoded \(Message.self) does not decode: \(error)")
        }
    }
}

/// Gathers the replies that a batch delivers, possibly from several tasks at once.
final class ReplyCollector: @unchecked Sendable {
    // Safe because every access to `replies` happens under `lock`.
    private let lock = NSLock()
    private var replies: [(position: Int, reply: ServiceDispatcher.Reply)] = []

    func add(_ delivered: [(position: Int, reply: ServiceDispatcher.Reply)]) {
        lock.withLock { replies.append(contentsOf: delivered) }
    }

    func sortedByPosition() -> [(position: Int, reply: ServiceDispatcher.Reply)] {
        lock.withLock { replies.sorted { $0.position < $1.position } }
    }
}

/// Carries a task's result to the blocked thread; the semaphore orders the
/// write before the read.
final class ResultBox<Value: Sendable>: @unchecked Sendable {
    // Safe because the task writes `value` once before signalling, and the
    // waiting thread reads it only after the wait returns.
    var value: Value?
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    FuzzHarness.openFreshCore()
    atexit {
        try? FileManager.default.removeItem(atPath: FuzzHarness.directory)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzHarness.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
