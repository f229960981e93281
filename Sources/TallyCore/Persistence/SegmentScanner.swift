import Foundation
import Glibc

/// One entry read back from a log segment.
struct ScannedEntry {
    var sequence: UInt64
    var type: UInt8
    /// Where the payload lies in the segment's bytes (`SegmentScan.bytes`).
    var payload: Range<Int>
}

/// Result of reading a segment: its valid entries and, if the data stops early, the reason and offset.
struct SegmentScan {
    enum Issue {
        /// The last entry was cut short, as a crash during a write leaves it; `offset` is where it starts.
        case tornTail(offset: Int, reason: String)
        /// Damage that a crash cannot explain, such as a bad checksum followed by valid entries.
        case corrupt(offset: Int, reason: String)
    }

    var path: String
    var firstSequence: UInt64
    /// The whole segment file; entries refer to their payloads in it instead of copying them.
    var bytes: [UInt8] = []
    var entries: [ScannedEntry] = []
    /// End of the last valid entry (or of the header).
    var validEnd: Int
    var issue: Issue?
}

/// Reads log segments and distinguishes a torn tail from corruption.
enum SegmentScanner {
    /// Scans `path`; with `isLastSegment` false every defect counts as corruption.
    static func scan(path: String, firstSequenceFromName: UInt64, previousSequence: UInt64, isLastSegment: Bool) throws(FileError) -> SegmentScan {
        let bytes = try FileReader.readAll(path)
        var scan = SegmentScan(path: path, firstSequence: firstSequenceFromName, bytes: bytes, validEnd: 0)

        if bytes.count < LogFormat.headerSize {
            let prefixMatches = bytes.prefix(8).elementsEqual(LogFormat.magic.prefix(min(8, bytes.count)))
            if isLastSegment && prefixMatches {
                scan.issue = .tornTail(offset: 0, reason: "segment header is incomplete (\(bytes.count) of \(LogFormat.headerSize) bytes)")
            } else {
                scan.issue = .corrupt(offset: 0, reason: "file of \(bytes.count) bytes is shorter than the \(LogFormat.headerSize)-byte segment header")
            }
            return scan
        }
        if let problem = headerProblem(bytes, expectedFirst: firstSequenceFromName) {
            scan.issue = .corrupt(offset: 0, reason: problem)
            return scan
        }

        var offset = LogFormat.headerSize
        var previous = max(previousSequence, firstSequenceFromName == 0 ? 0 : firstSequenceFromName - 1)
        scan.validEnd = offset
        while offset < bytes.count {
            switch parseEntry(bytes, at: offset, after: previous) {
            case let .success(entry, end):
                scan.entries.append(entry)
                previous = entry.sequence
                offset = end
                scan.validEnd = end
            case let .failure(reason):
                let resumes = findValidEntry(bytes, after: offset, previousSequence: previous)
                if isLastSegment && resumes == nil {
                    scan.issue = .tornTail(offset: offset, reason: reason)
                } else if let resumes {
                    scan.issue = .corrupt(offset: offset, reason: "\(reason); a valid entry follows at offset \(resumes)")
                } else {
                    scan.issue = .corrupt(offset: offset, reason: "\(reason) in a segment that is not the newest")
                }
                return scan
            }
        }
        return scan
    }

    private static func headerProblem(_ bytes: [UInt8], expectedFirst: UInt64) -> String? {
        guard bytes[0 ..< 8].elementsEqual(LogFormat.magic) else {
            return "wrong magic number (expected \"TALLYWAL\")"
        }
        var reader = ByteReader(bytes, offset: 8)
        let version = (try? reader.readInteger(UInt32.self)) ?? 0
        let first = (try? reader.readInteger(UInt64.self)) ?? 0
        let checksum = (try? reader.readInteger(UInt32.self)) ?? 0
        if checksum != LogFormat.crc(bytes[0 ..< 20]) {
            return "segment header checksum mismatch"
        }
        if version != LogFormat.version {
            return "unsupported log format version \(version) (this build reads version \(LogFormat.version))"
        }
        if first != expectedFirst {
            return "header first sequence \(first) does not match the file name (\(expectedFirst))"
        }
        return nil
    }

    enum Parsed {
        case success(ScannedEntry, end: Int)
        case failure(String)
    }

    static func parseEntry(_ bytes: [UInt8], at offset: Int, after previous: UInt64) -> Parsed {
        let available = bytes.count - offset
        guard available >= LogFormat.entryOverhead else {
            return .failure("entry header is incomplete (\(available) bytes left)")
        }
        var reader = ByteReader(bytes, offset: offset)
        let length = Int((try? reader.readInteger(UInt32.self)) ?? 0)
        guard length <= LogFormat.maxPayloadSize else {
            return .failure("entry length \(length) is over the maximum of \(LogFormat.maxPayloadSize) bytes")
        }
        let end = offset + LogFormat.entryOverhead + length
        guard end <= bytes.count else {
            return .failure("entry of \(length) payload bytes runs past the end of the file")
        }
        let checksum = LogFormat.crc(bytes[offset + 4 ..< end - 4])
        let stored = UInt32(bytes[end - 4]) | UInt32(bytes[end - 3]) << 8 | UInt32(bytes[end - 2]) << 16 | UInt32(bytes[end - 1]) << 24
        guard checksum == stored else {
            return .failure("entry checksum mismatch")
        }
        let sequence = (try? reader.readInteger(UInt64.self)) ?? 0
        guard sequence > previous else {
            return .failure("entry sequence \(sequence) is not after \(previous)")
        }
        let type = bytes[offset + 12]
        return .success(ScannedEntry(sequence: sequence, type: type, payload: offset + 13 ..< end - 4), end: end)
    }

    /// Returns the offset of a valid entry after a defect at `offset`, which proves the defect is not a torn tail.
    private static func findValidEntry(_ bytes: [UInt8], after offset: Int, previousSequence: UInt64) -> Int? {
        var candidate = offset + 1
        while candidate + LogFormat.entryOverhead <= bytes.count {
            // Cheap filters first: a plausible length, sequence and type before the checksum.
            var reader = ByteReader(bytes, offset: candidate)
            let length = Int((try? reader.readInteger(UInt32.self)) ?? 0)
            let sequence = (try? reader.readInteger(UInt64.self)) ?? 0
            let type = bytes[candidate + 12]
            if candidate + LogFormat.entryOverhead + length <= bytes.count,
               sequence > previousSequence, sequence - previousSequence < 1 << 32,
               LogFormat.EntryType(rawValue: type) != nil,
               case .success = parseEntry(bytes, at: candidate, after: previousSequence) {
                return candidate
            }
            candidate += 1
        }
        return nil
    }
}

/// Reads whole files with POSIX calls.
enum FileReader {
    static func readAll(_ path: String) throws(FileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            throw FileError(operation: "open", path: path, code: errno)
        }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) != 0 {
            throw FileError(operation: "stat", path: path, code: errno)
        }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var done = 0
        // Reads until end of file, so a file that shrank since fstat yields the bytes it still has.
        let failure: Int32? = bytes.withUnsafeMutableBytes { buffer in
            while done < buffer.count {
                let result = read(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if result == 0 { break }
                done += result
            }
            return nil
        }
        if let failure {
            throw FileError(operation: "read", path: path, code: failure)
        }
        bytes.removeLast(bytes.count - done)
        return bytes
    }
}
