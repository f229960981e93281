import CTallySystem
import Foundation
import Glibc

/// File state of the log writer.
// @unchecked Sendable: after init only the writer thread touches it.
final class LogWriterIO: @unchecked Sendable {
    let directory: String
    let mode: DurabilityMode
    let fileSystem: any LogFileSystem
    let logger: Logger
    var file: any LogFile
    /// First sequence named by the current segment's file name.
    var segmentFirstSequence: UInt64
    /// End of the data written to the current segment.
    var offset: Int64
    /// End of the data reported durable to callers. A failed group is truncated back to this offset.
    var durableOffset: Int64
    var unsynced = false
    var lastSync = ContinuousClock.now
    /// Failed truncate or sync that must succeed on retry before writes are accepted again.
    var pendingRepair: (kind: Repair, error: MeteringError)?

    enum Repair { case truncate, sync }

    init(directory: String, firstSequence: UInt64, mode: DurabilityMode, fileSystem: any LogFileSystem, logger: Logger) throws(FileError) {
        self.directory = directory
        self.mode = mode
        self.fileSystem = fileSystem
        self.logger = logger
        file = try Self.createSegment(directory: directory, firstSequence: firstSequence, fileSystem: fileSystem)
        segmentFirstSequence = firstSequence
        offset = Int64(LogFormat.headerSize)
        durableOffset = offset
    }

    /// Creates a segment with its header, synced together with the directory entry.
    static func createSegment(directory: String, firstSequence: UInt64, fileSystem: any LogFileSystem) throws(FileError) -> any LogFile {
        let path = directory + "/" + LogFormat.segmentName(firstSequence: firstSequence)
        let file = try fileSystem.createSegment(path: path)
        do {
            let header = LogFormat.header(firstSequence: firstSequence)
            try file.write(header, at: 0)
            try file.sync()
            try DirectorySync.sync(directory)
        } catch {
            file.close()
            unlink(path)
            throw error
        }
        return file
    }
}

/// fsync of a directory, so that created, renamed and deleted entries survive a crash.
enum DirectorySync {
    static func sync(_ directory: String) throws(FileError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor < 0 {
            throw FileError(operation: "open", path: directory, code: tally_errno())
        }
        defer { close(descriptor) }
        if fsync(descriptor) != 0 {
            throw FileError(operation: "fsync", path: directory, code: tally_errno())
        }
    }
}
