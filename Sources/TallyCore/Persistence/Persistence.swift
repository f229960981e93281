import Foundation
import Glibc
import Synchronization

/// The data directory shared by all shards: the log writer, live reloads and snapshot files.
final class Persistence: Sendable {
    let directory: String
    let shardCount: Int
    let logger: Logger
    let writer: LogWriter
    /// Serializes reading the directory for a reload against writing a snapshot and deleting covered files.
    private let fileLock = Mutex(())

    init(directory: String, shardCount: Int, logger: Logger, writer: LogWriter) {
        self.directory = directory
        self.shardCount = shardCount
        self.logger = logger
        self.writer = writer
    }

    /// Reads the accounts selected by `include` back from disk while the core runs.
    func loadLive(makeAccount: @escaping (String) -> AccountState, include: @escaping (String) -> Bool) throws(MeteringError) -> Recovery.Result {
        try fileLock.withLock { _ throws(MeteringError) in
            try Recovery(directory: directory, mode: .live, logger: logger, makeAccount: makeAccount, include: include).run()
        }
    }

    /// Writes `snapshot-<sequence>.snap` through a synced temporary file, then deletes what it covers.
    func writeSnapshot(sequence: UInt64, parts: [(bytes: [UInt8], count: Int)]) throws(MeteringError) {
        try fileLock.withLock { _ throws(MeteringError) in
            let name = SnapshotCodec.fileName(sequence: sequence)
            let temporary = directory + "/snapshot-\(LogFormat.padded(sequence)).tmp"
            let header = SnapshotCodec.header(sequence: sequence, accountCount: parts.reduce(0) { $0 + $1.count })
            var checksum = LogFormat.crc(header[...])
            for part in parts {
                checksum = LogFormat.crc(part.bytes[...], seed: checksum)
            }
            var trailer: [UInt8] = []
            ByteWriter.appendInteger(checksum, to: &trailer)
            do {
                try writeFile(temporary, chunks: [header] + parts.map(\.bytes) + [trailer])
                if rename(temporary, directory + "/" + name) != 0 {
                    throw FileError(operation: "rename", path: temporary, code: errno)
                }
                try DirectorySync.sync(directory)
            } catch {
                unlink(temporary)
                throw .unavailable("writing snapshot \(directory)/\(name) failed: \(error)")
            }
            deleteCovered(by: sequence, keeping: name)
        }
    }

    private func writeFile(_ path: String, chunks: [[UInt8]]) throws(FileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            throw FileError(operation: "create", path: path, code: errno)
        }
        let file = PosixLogFile(path: path, descriptor: descriptor)
        defer { file.close() }
        var offset: Int64 = 0
        for chunk in chunks {
            try file.write(chunk, at: offset)
            offset += Int64(chunk.count)
        }
        if fsync(descriptor) != 0 {
            throw FileError(operation: "fsync", path: path, code: errno)
        }
    }

    /// Deletes older snapshots and the log segments whose entries are all at or below `sequence`.
    private func deleteCovered(by sequence: UInt64, keeping snapshotName: String) {
        for (_, name) in Recovery.listNumbered(directory, prefix: "snapshot-", suffix: ".snap") where name != snapshotName {
            unlink(directory + "/" + name)
        }
        // A segment is covered when the next segment starts at or below sequence + 1.
        let segments = Recovery.listNumbered(directory, prefix: "wal-", suffix: ".log")
        for (position, segment) in segments.enumerated().dropLast() where segments[position + 1].0 <= sequence + 1 {
            unlink(directory + "/" + segment.1)
        }
        try? DirectorySync.sync(directory)
    }
}
