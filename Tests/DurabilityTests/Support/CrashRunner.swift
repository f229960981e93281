import Foundation
import Glibc
import TallyClient
import TallyWire

/// Runs tallyd under RecordUsage load, kills it at random moments, restarts it and checks the store against the ledger.
struct CrashRunner {
    struct Summary: CustomStringConvertible {
        var cycles = 0
        var kills = 0
        var cleanStops = 0
        var intervalCycles = 0
        /// Stored records checked, summed over every verification.
        var recordChecks = 0
        var counts = UsageLedger.Counts()
        var seconds = 0.0

        var description: String {
            "\(cycles) cycles (\(kills) SIGKILL, \(cleanStops) SIGTERM, \(intervalCycles) in interval mode), "
                + "\(counts.acknowledged) acknowledged, \(counts.rejected) rejected, \(counts.inDoubt) unacknowledged, "
                + "\(counts.retried) retried, \(counts.duplicatesAcknowledged) duplicate resends, "
                + "\(recordChecks) stored-record checks, \(String(format: "%.1f", seconds)) s"
        }
    }

    var cycles: Int
    /// Cycles that share one data directory before the next starts empty; bounds the ListRecords walk per check.
    var cyclesPerDirectory = 25
    var workers = 4
    var seed: UInt64

    /// Runs the cycles; returns the summary and every problem found.
    func run() async throws -> (Summary, [String]) {
        let started = Date()
        var summary = Summary()
        var problems: [String] = []
        var generator = SeededGenerator(seed: seed)
        var cycle = 0
        while cycle < cycles {
            let configuration = try TestConfiguration()
            let ledger = UsageLedger()
            let server = try TallydProcess(configuration: configuration)
            let end = min(cycles, cycle + cyclesPerDirectory)
            while cycle < end {
                let interval = cycle % 4 == 3
                try server.start(options(cycle: cycle, interval: interval))
                summary.recordChecks += try await check(server, configuration: configuration, ledger: ledger)
                try await load(server, configuration: configuration, ledger: ledger, generator: &generator, cycle: cycle, summary: &summary)
                summary.intervalCycles += interval ? 1 : 0
                summary.cycles += 1
                cycle += 1
            }
            // The directory's last state: one more restart and check, then a clean stop and another.
            try server.start(options(cycle: cycle, interval: false))
            summary.recordChecks += try await check(server, configuration: configuration, ledger: ledger)
            server.stop(signal: SIGTERM)
            try server.start(options(cycle: cycle, interval: false))
            summary.recordChecks += try await check(server, configuration: configuration, ledger: ledger)
            server.stop(signal: SIGKILL)

            let counts = ledger.counts
            summary.counts.acknowledged += counts.acknowledged
            summary.counts.rejected += counts.rejected
            summary.counts.inDoubt += counts.inDoubt
            summary.counts.retried += counts.retried
            summary.counts.duplicatesAcknowledged += counts.duplicatesAcknowledged
            problems += ledger.problems
            if !problems.isEmpty {
                problems.append("data directory kept for inspection: \(server.dataDirectory.path)")
                break
            }
        }
        summary.seconds = Date().timeIntervalSince(started)
        return (summary, problems)
    }

    /// Varies shard count and snapshot frequency between restarts; recovery must not depend on either.
    private func options(cycle: Int, interval: Bool) -> [String] {
        var arguments = ["--durability", interval ? "interval" : "sync", "--shards", String([1, 2, 4][cycle % 3])]
        if cycle % 2 == 0 {
            arguments += ["--snapshot-interval", "1"]
        }
        return arguments
    }

    private func check(_ server: TallydProcess, configuration: TestConfiguration, ledger: UsageLedger) async throws -> Int {
        let client = try await TallyClient.connect(to: server.address, apiKey: configuration.adminKey, timeout: .seconds(60))
        defer { client.close() }
        let verifier = StoreVerifier(client: client, ledger: ledger)
        try await verifier.retryInDoubt()
        return try await verifier.verify()
    }

    /// Runs the workers and stops the server after a random delay: usually SIGKILL, every tenth cycle SIGTERM.
    private func load(_ server: TallydProcess, configuration: TestConfiguration, ledger: UsageLedger,
                      generator: inout SeededGenerator, cycle: Int, summary: inout Summary) async throws {
        var clients: [TallyClient] = []
        for _ in 0 ..< workers {
            clients.append(try await TallyClient.connect(to: server.address, apiKey: configuration.adminKey, timeout: .seconds(60)))
        }
        let seeds = (0 ..< workers).map { _ in generator.next() }
        let delay = Int.random(in: 20 ... 400, using: &generator)
        let graceful = cycle % 10 == 9
        await withTaskGroup(of: Void.self) { group in
            for (client, seed) in zip(clients, seeds) {
                group.addTask {
                    var worker = LoadWorker(client: client, ledger: ledger, seed: seed)
                    await worker.run()
                }
            }
            try? await Task.sleep(for: .milliseconds(delay))
            server.stop(signal: graceful ? SIGTERM : SIGKILL)
            // SIGTERM lets tallyd finish; close the connections so that the workers stop too.
            for client in clients {
                client.close()
            }
            await group.waitForAll()
        }
        if graceful {
            summary.cleanStops += 1
        } else {
            summary.kills += 1
        }
    }
}
