import Foundation
import Testing
@testable import TallyCore

/// Everything the public API reports about the test accounts, for comparing before and after a restart.
struct ObservedState: Equatable {
    var summaries: [UsageSummary] = []
    var quotas: [QuotaStatus] = []
    var records: [[StoredUsage]] = []
}

func observe(_ core: MeteringCore, accounts: [String] = ["acme", "big", "tiny", "berlin"]) async throws -> ObservedState {
    var state = ObservedState()
    for account in accounts {
        state.summaries.append(try await core.summary(accountID: account, range: RangeQuery(preset: .allTime), maxSessions: 0, nowMs: testNow))
        state.quotas.append(try await core.quota(accountID: account, sessionID: "s1", atMs: 0, nowMs: testNow))
        var token = ""
        var all: [StoredUsage] = []
        repeat {
            let page = try await core.listRecords(accountID: account, range: RangeQuery(preset: .allTime), sessionID: nil, pageSize: 1000, pageToken: token, nowMs: testNow)
            all += page.records
            token = page.nextPageToken
        } while !token.isEmpty
        state.records.append(all)
    }
    return state
}

/// Records a mix of accepted, duplicate and rejected records with notifications on every test account.
func recordWorkload(_ core: MeteringCore, batches: Int = 5) async throws {
    for batch in 0 ..< batches {
        for account in ["acme", "big", "tiny", "berlin"] {
            let records = (0 ..< 20).map { index in
                NewRecord(
                    eventID: index % 4 == 0 ? "" : "\(account)-\(batch)-\(index)",
                    sessionID: "s\(index % 5)",
                    timestampMs: testNow - Int64((batch * 20 + index) % 7) * 3_600_000,
                    inputTokens: UInt64(index + batch),
                    outputTokens: UInt64(index % 3),
                    decisions: UInt64(index % 2)
                )
            }
            _ = try await core.record(accountID: account, records: records, nowMs: testNow)
        }
    }
}

func segmentFiles(_ directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("wal-") && $0.hasSuffix(".log") }.sorted()
}

@Suite struct PersistenceTests {
    @Test func closeAndReopenKeepsState() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let core = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory, shards: 3), logger: quietLogger())
        try await recordWorkload(core)
        let before = try await observe(core)
        #expect(before.quotas[2].notifications.count > 0)
        await core.close()

        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(files.filter { $0.hasSuffix(".snap") }.count == 1)

        // A different shard count routes accounts elsewhere; the state must not change.
        let reopened = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory, shards: 1), logger: quietLogger())
        let after = try await observe(reopened)
        #expect(after == before)
        // Event ids stay deduplicated after the restart.
        let again = try await reopened.record(accountID: "big", records: [NewRecord(eventID: "big-0-1", sessionID: "s1", timestampMs: testNow - 3_600_000, inputTokens: 1, outputTokens: 1, decisions: 1)], nowMs: testNow)
        #expect(again == [.duplicate(timestampMs: testNow - 3_600_000)])
        await reopened.close()
    }

    @Test func reopenAfterCrashKeepsAcknowledgedRecords() async throws {
        for durability in [DurabilityMode.sync, .interval] {
            let directory = makeTemporaryDirectory()
            defer { removeDirectory(directory) }
            let core = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory, durability: durability), logger: quietLogger())
            try await recordWorkload(core, batches: 2)
            try await core.writeSnapshot()
            try await recordWorkload(core, batches: 3)
            let before = try await observe(core)
            await core.stopWithoutSnapshot()

            let reopened = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory, shards: 4, durability: durability), logger: quietLogger())
            let after = try await observe(reopened)
            #expect(after == before)
            await reopened.close()
        }
    }

    @Test func snapshotDeletesCoveredSegments() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let core = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        try await recordWorkload(core, batches: 1)
        #expect(segmentFiles(directory) == ["wal-00000000000000000001.log"])
        try await core.writeSnapshot()
        #expect(segmentFiles(directory) == ["wal-00000000000000000005.log"])
        #expect(FileManager.default.fileExists(atPath: directory + "/snapshot-00000000000000000004.snap"))
        try await recordWorkload(core, batches: 1)
        try await core.writeSnapshot()
        #expect(segmentFiles(directory) == ["wal-00000000000000000009.log"])
        #expect(!FileManager.default.fileExists(atPath: directory + "/snapshot-00000000000000000004.snap"))
        await core.close()
    }

    @Test func closeRightAfterOpenWritesSnapshot() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let core = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        try await recordWorkload(core, batches: 1)
        await core.stopWithoutSnapshot()
        // Nothing is written between open and close, so the snapshot must reuse the fresh segment.
        let reopened = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        let before = try await observe(reopened)
        await reopened.close()
        #expect(segmentFiles(directory) == ["wal-00000000000000000005.log"])
        #expect(FileManager.default.fileExists(atPath: directory + "/snapshot-00000000000000000004.snap"))
        let third = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        #expect(try await observe(third) == before)
        await third.close()
    }

    @Test func tornTailIsDropped() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let core = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        try await recordWorkload(core, batches: 2)
        let before = try await observe(core)
        await core.stopWithoutSnapshot()

        let path = directory + "/" + segmentFiles(directory).last!
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        // Half an entry: a length, a sequence and a few payload bytes, as a crash mid-write leaves them.
        var partial: [UInt8] = []
        LogFormat.appendEntry(sequence: 1000, type: .usageBatch, payload: Array(repeating: 7, count: 64), to: &partial)
        let handle = FileHandle(forWritingAtPath: path)!
        handle.seekToEndOfFile()
        handle.write(Data(partial.prefix(30)))
        try handle.close()

        let sink = LogSink.capturing()
        let reopened = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger(sink))
        #expect(try await observe(reopened) == before)
        let warning = sink.lines.first { $0.contains("torn entry") }
        #expect(warning?.contains("file=\(path)") == true)
        #expect(warning?.contains("offset=\(size)") == true)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int == size)
        await reopened.close()
    }
}
