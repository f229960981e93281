import Foundation
import Testing
@testable import TallyCore

@Suite struct CorruptionTests {
    /// Writes three single-record batches to "big" and leaves the log as a crash would.
    private func threeEntries(_ directory: String) async throws -> (path: String, entryOffsets: [Int]) {
        let core = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        for index in 0 ..< 3 {
            _ = try await core.record(accountID: "big", records: [NewRecord(eventID: "e\(index)", sessionID: "s", timestampMs: 1000 + Int64(index), inputTokens: 10)], nowMs: testNow)
        }
        await core.stopWithoutSnapshot()
        let path = directory + "/" + segmentFiles(directory).first!
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var offsets: [Int] = []
        var offset = LogFormat.headerSize
        while offset < bytes.count {
            offsets.append(offset)
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            offset += LogFormat.entryOverhead + length
        }
        #expect(offsets.count == 3)
        return (path, offsets)
    }

    private func flipByte(_ path: String, at offset: Int) throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[offset] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func flippedByteInMiddleEntryThrows() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let (path, offsets) = try await threeEntries(directory)
        try flipByte(path, at: offsets[1] + 20)
        await #expect(throws: MeteringError(code: .internal, message: "data directory is corrupt: \(path) at offset \(offsets[1]): entry checksum mismatch; a valid entry follows at offset \(offsets[2]); inspect or restore the file, or start with recovery from corruption enabled to continue from the last good point")) {
            try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        }
    }

    @Test func recoverFromCorruptionKeepsGoodPrefix() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let (path, offsets) = try await threeEntries(directory)
        try flipByte(path, at: offsets[1] + 20)
        let sink = LogSink.capturing()
        let core = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory, recover: true), logger: quietLogger(sink))
        let page = try await core.listRecords(accountID: "big", range: RangeQuery(preset: .allTime), sessionID: nil, pageSize: 10, pageToken: "", nowMs: testNow)
        #expect(page.records.map(\.eventID) == ["e0"])
        let alert = sink.lines.first { $0.contains("data directory is corrupt") }
        #expect(alert?.contains("critical") == true)
        #expect(alert?.contains("offset=\(offsets[1])") == true)
        #expect(FileManager.default.fileExists(atPath: path + ".corrupt"))
        // New writes continue after the last good point and survive a restart.
        _ = try await core.record(accountID: "big", records: [NewRecord(eventID: "e9", sessionID: "s", timestampMs: 2000, inputTokens: 1)], nowMs: testNow)
        await core.close()
        let reopened = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        let after = try await reopened.listRecords(accountID: "big", range: RangeQuery(preset: .allTime), sessionID: nil, pageSize: 10, pageToken: "", nowMs: testNow)
        #expect(after.records.map(\.eventID) == ["e9", "e0"])
        await reopened.close()
    }

    @Test func zeroedSegmentThrows() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let (path, _) = try await threeEntries(directory)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        try Data(count: size).write(to: URL(fileURLWithPath: path))
        await #expect(throws: MeteringError(code: .internal, message: "data directory is corrupt: \(path) at offset 0: wrong magic number (expected \"TALLYWAL\"); inspect or restore the file, or start with recovery from corruption enabled to continue from the last good point")) {
            try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        }
    }

    @Test func zeroedSnapshotThrows() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let core = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        try await recordWorkload(core, batches: 1)
        await core.close()
        let name = try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".snap") }!
        let path = directory + "/" + name
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        try Data(count: size).write(to: URL(fileURLWithPath: path))
        await #expect(throws: MeteringError(code: .internal, message: "data directory is corrupt: \(path): wrong magic number at offset 0 (expected \"TALLYSNP\"); inspect or restore the file, or start with recovery from corruption enabled to continue from the last good point")) {
            try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        }
    }

    @Test func flippedSnapshotByteThrows() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let core = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        try await recordWorkload(core, batches: 1)
        await core.close()
        let name = try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".snap") }!
        let path = directory + "/" + name
        try flipByte(path, at: 40)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        await #expect(throws: MeteringError(code: .internal, message: "data directory is corrupt: \(path): checksum mismatch over bytes 0..<\(size - 4) (trailer at offset \(size - 4)); inspect or restore the file, or start with recovery from corruption enabled to continue from the last good point")) {
            try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        }
    }

    @Test func recoverFromDamagedSnapshotStartsEmptyAndLogs() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let core = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        try await recordWorkload(core, batches: 1)
        await core.close()
        let reopened = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        _ = try await reopened.record(accountID: "big", records: [NewRecord(sessionID: "s", inputTokens: 1)], nowMs: testNow)
        await reopened.stopWithoutSnapshot()
        let name = try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".snap") }!
        try flipByte(directory + "/" + name, at: 30)

        let sink = LogSink.capturing()
        let recovered = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory, recover: true), logger: quietLogger(sink))
        // Without the snapshot the later log entries have no base, so both are set aside.
        let summary = try await recovered.summary(accountID: "big", range: RangeQuery(preset: .allTime), maxSessions: 0, nowMs: testNow)
        #expect(summary.records == 0)
        let alerts = sink.lines.filter { $0.contains("critical") && $0.contains("data directory is corrupt") }
        #expect(alerts.count == 2)
        #expect(FileManager.default.fileExists(atPath: directory + "/" + name + ".corrupt"))
        #expect(FileManager.default.fileExists(atPath: directory + "/wal-00000000000000000005.log.corrupt"))
        await recovered.close()
    }
}
