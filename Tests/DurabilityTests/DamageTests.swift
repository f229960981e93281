import Foundation
import Glibc
import Testing
import TallyClient
import TallyWire

/// A running tallyd with a client and helpers to record and read one account.
private struct Session {
    let server: TallydProcess
    let configuration: TestConfiguration
    var nextTimestamp = TestConfiguration.periodStartMs + 1

    init() throws {
        configuration = try TestConfiguration()
        server = try TallydProcess(configuration: configuration)
    }

    func connect() async throws -> TallyClient {
        try await TallyClient.connect(to: server.address, apiKey: configuration.adminKey)
    }

    /// Sends one RecordUsage request of `count` records (one log entry) and returns the records.
    mutating func record(_ client: TallyClient, count: Int, account: String = "acct-a") async throws -> [UsageRecord] {
        var records: [UsageRecord] = []
        for _ in 0 ..< count {
            records.append(UsageRecord(eventID: "event-\(nextTimestamp)", sessionID: "session-\(nextTimestamp % 5)", timestampMs: nextTimestamp, inputTokens: 100, outputTokens: 20, decisions: 1))
            nextTimestamp += 1
        }
        let response = try await client.recordUsage(RecordUsageRequest(accountID: account, records: records))
        #expect(response.results.map(\.status) == Array(repeating: .ok, count: count))
        return records
    }

    /// Timestamps of every stored record of `account`, ascending.
    func storedTimestamps(_ client: TallyClient, account: String = "acct-a") async throws -> [Int64] {
        let records = try await StoreVerifier(client: client, ledger: UsageLedger()).listAll(account)
        return records.map(\.timestampMs).sorted()
    }
}

@Suite("tallyd on damaged data directories", .serialized)
struct DamageTests {
    @Test("torn last entry is dropped and logged")
    func tornTail() async throws {
        var session = try Session()
        try session.server.start()
        let client = try await session.connect()
        var kept: [UsageRecord] = []
        for _ in 0 ..< 5 {
            kept += try await session.record(client, count: 3)
        }
        // This last request's entry is the one cut in half below.
        _ = try await session.record(client, count: 3)
        client.close()
        session.server.stop(signal: SIGKILL)

        let segment = try #require(session.server.segments().last)
        let layout = try SegmentLayout(segment)
        let last = try #require(layout.entries.last)
        try FileDamage.truncate(segment, to: last.offset + last.size / 2)

        try session.server.start()
        let log = session.server.currentLog()
        #expect(log.contains("torn entry"))
        #expect(log.contains("offset=\(last.offset)"))
        #expect(log.contains(segment.lastPathComponent))
        let reader = try await session.connect()
        #expect(try await session.storedTimestamps(reader) == kept.map(\.timestampMs))
        #expect(try SegmentLayout(segment).fileSize == last.offset)
        reader.close()
        session.server.stop(signal: SIGTERM)
    }

    @Test("flipped byte in a middle entry stops startup until recovery is requested")
    func flippedByteInMiddleEntry() async throws {
        var session = try Session()
        try session.server.start()
        let client = try await session.connect()
        var batches: [[UsageRecord]] = []
        for _ in 0 ..< 6 {
            batches.append(try await session.record(client, count: 2))
        }
        client.close()
        session.server.stop(signal: SIGKILL)

        let segment = try #require(session.server.segments().last)
        let layout = try SegmentLayout(segment)
        #expect(layout.entries.count == 6)
        let damaged = layout.entries[2]
        try FileDamage.flipByte(segment, at: damaged.offset + damaged.size / 2)

        let status = try session.server.runExpectingExit()
        #expect(status == 1)
        let refusal = session.server.currentLog()
        #expect(refusal.contains("corrupt"))
        #expect(refusal.contains("\(segment.lastPathComponent) at offset \(damaged.offset)"))

        try session.server.start(["--recover-from-corruption"])
        let log = session.server.currentLog()
        #expect(log.contains("critical"))
        #expect(log.contains("offset=\(damaged.offset)"))
        let reader = try await session.connect()
        #expect(try await session.storedTimestamps(reader) == (batches[0] + batches[1]).map(\.timestampMs))
        #expect(session.server.dataFiles().contains(segment.lastPathComponent + ".corrupt"))

        // The store keeps working after the cut: new records are stored and survive a restart.
        let added = try await session.record(reader, count: 2)
        reader.close()
        session.server.stop(signal: SIGKILL)
        try session.server.start()
        let again = try await session.connect()
        #expect(try await session.storedTimestamps(again) == (batches[0] + batches[1] + added).map(\.timestampMs))
        again.close()
        session.server.stop(signal: SIGTERM)
    }

    @Test("snapshot overwritten with zeros stops startup")
    func zeroedSnapshot() async throws {
        var session = try Session()
        try session.server.start()
        let client = try await session.connect()
        _ = try await session.record(client, count: 4)
        client.close()
        // A clean stop writes the final snapshot and deletes the log it covers.
        session.server.stop(signal: SIGTERM)
        let snapshot = try #require(session.server.snapshots().last)
        try FileDamage.zeroFill(snapshot)

        let status = try session.server.runExpectingExit()
        #expect(status == 1)
        let log = session.server.currentLog()
        #expect(log.contains("corrupt"))
        #expect(log.contains(snapshot.lastPathComponent))
        #expect(session.server.snapshots() == [snapshot])
    }

    @Test("snapshot without the log trimmed applies no record twice")
    func snapshotBeforeTrim() async throws {
        var session = try Session()
        try session.server.start()
        let client = try await session.connect()
        var records = try await session.record(client, count: 3)
        records += try await session.record(client, count: 3, account: "acct-b")
        client.close()
        session.server.stop(signal: SIGKILL)
        let saved = session.server.root.appendingPathComponent("saved-segments")
        try FileManager.default.createDirectory(at: saved, withIntermediateDirectories: true)
        for segment in session.server.segments() {
            try FileManager.default.copyItem(at: segment, to: saved.appendingPathComponent(segment.lastPathComponent))
        }

        try session.server.start()
        let second = try await session.connect()
        records += try await session.record(second, count: 2)
        second.close()
        session.server.stop(signal: SIGTERM)
        #expect(session.server.snapshots().count == 1)
        // Put back the segments the snapshot covers, as a crash between writing it and trimming the log leaves them.
        for name in try FileManager.default.contentsOfDirectory(atPath: saved.path) {
            let target = session.server.dataDirectory.appendingPathComponent(name)
            if !FileManager.default.fileExists(atPath: target.path) {
                try FileManager.default.copyItem(at: saved.appendingPathComponent(name), to: target)
            }
        }

        try session.server.start()
        let reader = try await session.connect()
        let accountA = (records[0 ..< 3] + records[6 ..< 8]).map(\.timestampMs)
        #expect(try await session.storedTimestamps(reader) == accountA)
        #expect(try await session.storedTimestamps(reader, account: "acct-b") == records[3 ..< 6].map(\.timestampMs))
        let summary = try await reader.getSummary(GetSummaryRequest(accountID: "acct-a", range: TimeRange(preset: .allTime)))
        #expect(summary.records == 5)
        #expect(summary.inputTokens == 500)
        reader.close()
        session.server.stop(signal: SIGTERM)
    }

    @Test("full disk rejects writes with UNAVAILABLE and recovers when space returns")
    func fullDisk() async throws {
        var session = try Session()
        let mountPoint = session.server.dataDirectory
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let mounted = try runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint.path])
        try #require(mounted == 0, "mount -t tmpfs failed with status \(mounted); this test needs root")
        defer { _ = try? runTool("/bin/umount", [mountPoint.path]) }

        // Leave about 150 KB free so that a few batches fit and then the disk fills.
        let filler = mountPoint.appendingPathComponent("filler.bin")
        try Data(count: 2 * 1024 * 1024 - 150 * 1024).write(to: filler)
        try session.server.start()
        let client = try await session.connect()

        var stored: [Int64] = []
        var failure: RecordResult?
        var failedRecords: [UsageRecord] = []
        for _ in 0 ..< 400 where failure == nil {
            var records: [UsageRecord] = []
            for _ in 0 ..< 50 {
                let timestamp = session.nextTimestamp
                session.nextTimestamp += 1
                records.append(UsageRecord(eventID: "event-\(timestamp)-" + String(repeating: "x", count: 80), sessionID: "session-1", timestampMs: timestamp, inputTokens: 10))
            }
            let response = try await client.recordUsage(RecordUsageRequest(accountID: "acct-a", records: records))
            if let rejected = response.results.first(where: { $0.status != .ok }) {
                failure = rejected
                failedRecords = records
                #expect(response.results.allSatisfy { $0.status == .unavailable })
            } else {
                stored += records.map(\.timestampMs)
            }
        }
        let rejection = try #require(failure)
        #expect(rejection.status == .unavailable)
        #expect(rejection.message.contains("No space left on device (ENOSPC)"))
        #expect(!stored.isEmpty)

        // Reads keep working, and the rejected batch is not stored.
        #expect(try await session.storedTimestamps(client) == stored)
        let quota = try await client.getQuota(GetQuotaRequest(accountID: "acct-a"))
        #expect(quota.resources.first { $0.resource == .tokens }?.used == UInt64(stored.count) * 10)

        try FileManager.default.removeItem(at: filler)
        let retry = try await client.recordUsage(RecordUsageRequest(accountID: "acct-a", records: failedRecords))
        #expect(retry.results.map(\.status) == Array(repeating: .ok, count: failedRecords.count))
        #expect(retry.results.allSatisfy { !$0.duplicate })
        stored += failedRecords.map(\.timestampMs)
        #expect(try await session.storedTimestamps(client) == stored)
        client.close()

        session.server.stop(signal: SIGKILL)
        try session.server.start()
        let reader = try await session.connect()
        #expect(try await session.storedTimestamps(reader) == stored)
        reader.close()
        session.server.stop(signal: SIGTERM)
    }
}

/// Runs a system tool and returns its exit status.
private func runTool(_ path: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
