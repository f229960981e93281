import Dispatch
import Foundation
import Glibc
import TallyCore
import TallyServer
import TallySocket

/// Starts the core and the transport, then serves until SIGTERM or SIGINT.
struct Daemon {
    let options: Options
    let logger: Logger

    func run() async throws {
        let configuration = try loadConfiguration()
        let address = try SocketAddress.resolve(options.listen)
        if !configuration.requiresKeys && !address.isLoopback {
            throw StartupError("without --config tallyd accepts clients without a key, so it listens only on loopback addresses; \(options.listen) is not one. Pass --config with API keys, or listen on 127.0.0.1 or [::1]")
        }

        logger.info("starting", metadata: [
            "version": MeteringService.serverVersion, "data_dir": options.dataDirectory,
            "durability": options.durability.rawValue, "shards": "\(options.shards)", "loops": "\(options.loops)",
        ])
        var storage = StorageOptions(directory: options.dataDirectory)
        storage.durability = options.durability
        storage.snapshotInterval = .seconds(options.snapshotIntervalSeconds)
        storage.shardCount = options.shards
        storage.recoverFromCorruption = options.recoverFromCorruption
        let core = try await MeteringCore.open(configuration: configuration.metering, storage: storage,
                                                limits: options.limits.recordLimits, logger: logger)
        logConfiguration(configuration)

        let keys = KeyStore(configuration: configuration)
        let dispatcher = ServiceDispatcher(service: MeteringService(core: core, keys: keys, limits: options.limits, clock: clock()))
        var transport = options.transport
        transport.loopCount = options.loops
        let server = try NativeServer(address: address, dispatcher: dispatcher, options: transport, logger: logger)
        logger.info("listening", metadata: [
            "address": server.boundAddress.description,
            "max_frame_bytes": "\(options.limits.maxFrameBytes)", "max_batch_records": "\(options.limits.maxBatchRecords)",
            "max_session_id_bytes": "\(options.limits.maxSessionIDBytes)", "max_event_id_bytes": "\(options.limits.maxEventIDBytes)",
            "max_in_flight": "\(options.limits.maxInFlight)", "max_connections": "\(transport.maxConnections)",
            "max_connections_per_peer": "\(transport.maxConnectionsPerPeer)",
            "max_outbound_bytes": "\(transport.maxOutboundBytes)", "max_inbound_bytes": "\(transport.maxInboundBytes)", "stall_timeout_ms": "\(transport.stallTimeout.components.seconds * 1000 + transport.stallTimeout.components.attoseconds / 1_000_000_000_000_000)",
        ])
        // Signal handling starts before the ready file appears, so that a
        // SIGHUP sent as soon as it does reloads instead of ending the process.
        let signals = SignalStream.signals([SIGTERM, SIGINT, SIGHUP])
        if let readyFile = options.readyFile {
            try Data((server.boundAddress.description + "\n").utf8).write(to: URL(fileURLWithPath: readyFile), options: .atomic)
        }

        for await signal in signals {
            if signal == SIGHUP {
                await reload(core: core, keys: keys, server: server)
                continue
            }
            logger.info("stopping", metadata: ["signal": signal == SIGTERM ? "SIGTERM" : "SIGINT"])
            break
        }
        server.stop()
        await core.close()
        logger.info("stopped")
    }

    /// The server's clock: the system clock, or the fixed Unix milliseconds in
    /// TALLY_TEST_NOW_MS, which tests set so that "today" and server-assigned
    /// timestamps are reproducible. Never set it in production.
    private func clock() -> @Sendable () -> Int64 {
        if let text = ProcessInfo.processInfo.environment["TALLY_TEST_NOW_MS"], let fixed = Int64(text) {
            logger.warning("TALLY_TEST_NOW_MS is set: the server clock is fixed for tests", metadata: ["now_ms": text])
            return { fixed }
        }
        return MeteringService.systemClock
    }

    private func loadConfiguration() throws -> ServerConfiguration {
        guard let path = options.configPath else { return .embeddedDefault() }
        return try ServerConfiguration.load(path: path)
    }

    private func logConfiguration(_ configuration: ServerConfiguration) {
        let source = options.configPath ?? "embedded default"
        logger.info("configuration loaded", metadata: [
            "source": source, "plans": "\(configuration.metering.plans.count)",
            "accounts": "\(configuration.metering.accounts.count)", "keys": "\(configuration.keys.count)",
            "keys_required": "\(configuration.requiresKeys)",
        ])
    }

    private func reload(core: MeteringCore, keys: KeyStore, server: NativeServer) async {
        guard let path = options.configPath else {
            logger.notice("SIGHUP ignored: tallyd runs on the embedded default, which has no file to reload")
            return
        }
        do {
            let configuration = try ServerConfiguration.load(path: path)
            try await core.reload(configuration: configuration.metering)
            keys.replace(with: configuration)
            server.revalidateKeys()
            logConfiguration(configuration)
        } catch {
            logger.error("configuration reload failed; the previous configuration stays in force",
                         metadata: ["source": path, "error": "\(error)"])
        }
    }
}

struct StartupError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Delivers process signals as an async sequence through Dispatch sources.
enum SignalStream {
    static func signals(_ numbers: [Int32]) -> AsyncStream<Int32> {
        AsyncStream { continuation in
            var sources: [DispatchSourceSignal] = []
            for number in numbers {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                sources.append(source)
            }
            let retained = SourceBox(sources)
            continuation.onTermination = { _ in
                for source in retained.sources { source.cancel() }
            }
        }
    }
}

/// Keeps the signal sources alive for the stream's lifetime.
final class SourceBox: @unchecked Sendable {
    // Safe because `sources` is written once in init and only read after.
    let sources: [DispatchSourceSignal]

    init(_ sources: [DispatchSourceSignal]) {
        self.sources = sources
    }
}
