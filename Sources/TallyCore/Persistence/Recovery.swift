import Foundation
import Glibc

/// Loads state from the data directory: the newest valid snapshot plus the log entries after it.
struct Recovery {
    enum Mode {
        /// At open: truncates a torn tail, and handles corruption by throwing or (if allowed) cutting back to the last good point.
        case startup(recoverFromCorruption: Bool)
        /// While running, to rebuild shards after a failed write: reads only, stopping quietly at an unfinished tail.
        case live
    }

    struct Result {
        var accounts: [String: AccountState]
        /// Highest sequence number seen in the snapshot name or the log.
        var lastSequence: UInt64
        var recordsLoaded = 0
    }

    let directory: String
    let mode: Mode
    let logger: Logger
    let makeAccount: (String) -> AccountState
    let include: (String) -> Bool

    private var recoverFromCorruption: Bool {
        if case let .startup(allowed) = mode { return allowed }
        return false
    }

    private var isStartup: Bool {
        if case .startup = mode { return true }
        return false
    }

    /// Lists files named `<prefix><20 digits><suffix>` as (sequence, name), ascending.
    static func listNumbered(_ directory: String, prefix: String, suffix: String) -> [(UInt64, String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var found: [(UInt64, String)] = []
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(suffix) {
            let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
            if digits.count == 20, let number = UInt64(digits) {
                found.append((number, name))
            }
        }
        return found.sorted { $0.0 < $1.0 }
    }

    func run() throws(MeteringError) -> Result {
        let (snapshotSequence, snapshotAccounts) = try loadSnapshot()
        var accounts = LoadedAccounts(snapshotAccounts)
        var lastSequence = snapshotSequence

        func finished(lastSequence: UInt64) -> Result {
            accounts.finish()
            return Result(accounts: accounts.dictionary(), lastSequence: lastSequence, recordsLoaded: accounts.recordCount)
        }

        let segments = Self.listNumbered(directory, prefix: "wal-", suffix: ".log")
        if let first = segments.first, first.0 > snapshotSequence + 1 {
            try corruption(file: first.1, offset: 0, reason: "log entries \(snapshotSequence + 1) to \(first.0 - 1) are missing: no segment covers them after snapshot sequence \(snapshotSequence)")
            // Recovering: entries after a gap have no base to apply to, so every segment is set aside.
            for (_, name) in segments {
                rename(directory + "/" + name, directory + "/" + name + ".corrupt")
            }
            return finished(lastSequence: max(snapshotSequence, segments.last!.0))
        }
        for (position, segment) in segments.enumerated() {
            let path = directory + "/" + segment.1
            let isLast = position == segments.count - 1
            let scan: SegmentScan
            do {
                scan = try SegmentScanner.scan(path: path, firstSequenceFromName: segment.0, previousSequence: 0, isLastSegment: isLast)
            } catch {
                throw .unavailable("reading write-ahead log failed: \(error)")
            }
            lastSequence = max(lastSequence, segment.0 == 0 ? 0 : segment.0 - 1)
            if let last = scan.entries.last {
                lastSequence = max(lastSequence, last.sequence)
            }
            try replay(scan.entries, in: scan.bytes, file: segment.1, snapshotSequence: snapshotSequence, into: &accounts)
            switch scan.issue {
            case nil:
                if isStartup && scan.entries.isEmpty {
                    // A segment with only a header contains no data, and removing it frees its name for the next segment.
                    unlink(path)
                }
            case let .tornTail(offset, reason):
                guard isStartup else { break }
                logger.warning("write-ahead log ends in a torn entry; dropping it", metadata: ["file": path, "offset": "\(offset)", "reason": reason])
                if scan.entries.isEmpty {
                    unlink(path)
                } else {
                    truncate(path, off_t(offset))
                }
            case let .corrupt(offset, reason):
                try corruption(file: segment.1, offset: offset, reason: reason)
                // Recovering: keep the good prefix, set the damaged rest and every later segment aside.
                let kept = segments[(position + 1)...].map(\.1)
                preserve(segment.1)
                truncate(path, off_t(scan.validEnd))
                for name in kept {
                    rename(directory + "/" + name, directory + "/" + name + ".corrupt")
                }
                return finished(lastSequence: max(lastSequence, segments.last!.0))
            }
        }
        return finished(lastSequence: lastSequence)
    }

    /// Applies a segment's entries: first, in log order, it picks each entry's account and skips entries
    /// the snapshot or account already contains; then it decodes the records of different accounts in parallel.
    private func replay(_ entries: [ScannedEntry], in segment: [UInt8], file: String, snapshotSequence: UInt64, into accounts: inout LoadedAccounts) throws(MeteringError) {
        var entriesByAccount: [Int: [Int]] = [:]
        var incoming: [Int: Int] = [:]
        for (index, entry) in entries.enumerated() {
            guard entry.type == LogFormat.EntryType.usageBatch.rawValue else {
                throw .internalError("write-ahead log \(directory)/\(file): entry \(entry.sequence) has unknown type \(entry.type); this build reads only type 1 (usage batch)")
            }
            let header: (accountID: String, recordCount: Int)
            do throws(ByteReaderError) {
                header = try segment.withUnsafeBytes { bytes in
                    let payload = UnsafeRawBufferPointer(rebasing: bytes[entry.payload])
                    return Swift.Result { () throws(ByteReaderError) in try UsageBatch.header(payload) }
                }.get()
            } catch {
                throw undecodable(entry, file: file, error)
            }
            guard include(header.accountID) else { continue }
            let position = accounts.position(of: header.accountID, make: makeAccount)
            guard entry.sequence > max(accounts[position].lastAppliedSequence, snapshotSequence) else { continue }
            // Sequences increase through the log, so the entry can be marked applied before it is decoded.
            accounts[position].lastAppliedSequence = entry.sequence
            entriesByAccount[position, default: []].append(index)
            incoming[position, default: 0] += header.recordCount
        }
        for (position, count) in incoming {
            accounts[position].columns.reserve(accounts[position].columns.count + count)
        }

        let positions = Array(entriesByAccount.keys)
        var failures = [(sequence: UInt64, error: MeteringError)?](repeating: nil, count: accounts.states.count)
        failures.withUnsafeMutableBufferPointer { failureBuffer in
            let sharedFailures = SharedFailures(buffer: failureBuffer)
            accounts.forEachInParallel(positions) { position, account in
                for index in entriesByAccount[position]! {
                    let entry = entries[index]
                    do throws(ByteReaderError) {
                        _ = try segment.withUnsafeBytes { bytes in
                            let payload = UnsafeRawBufferPointer(rebasing: bytes[entry.payload])
                            return Swift.Result { () throws(ByteReaderError) in try UsageBatch.load(payload, into: &account) }
                        }.get()
                    } catch {
                        sharedFailures.buffer[position] = (entry.sequence, undecodable(entry, file: file, error))
                        return
                    }
                }
            }
        }
        if let first = failures.compactMap({ $0 }).min(by: { $0.sequence < $1.sequence }) {
            throw first.error
        }
    }

    private func undecodable(_ entry: ScannedEntry, file: String, _ error: ByteReaderError) -> MeteringError {
        .internalError("write-ahead log \(directory)/\(file): entry \(entry.sequence) has a valid checksum but an undecodable payload: \(error.message)")
    }

    /// Loads the newest snapshot that decodes; a damaged one throws unless recovery from corruption is on.
    private func loadSnapshot() throws(MeteringError) -> (UInt64, [AccountState]) {
        let snapshots = Self.listNumbered(directory, prefix: "snapshot-", suffix: ".snap")
        for (_, name) in snapshots.reversed() {
            let path = directory + "/" + name
            do {
                let bytes = try FileReader.readAll(path)
                let decoded = try SnapshotCodec.decode(bytes, makeAccount: makeAccount, include: include)
                return decoded
            } catch let error as ByteReaderError {
                try corruption(file: name, offset: nil, reason: error.message)
                preserve(name, move: true)
            } catch {
                throw .unavailable("reading snapshot \(path) failed: \(error)")
            }
        }
        return (0, [])
    }

    /// Throws for corruption unless recovering; when recovering, logs it loudly and returns.
    private func corruption(file: String, offset: Int?, reason: String) throws(MeteringError) {
        let location = offset.map { "\(directory)/\(file) at offset \($0)" } ?? "\(directory)/\(file)"
        guard recoverFromCorruption else {
            let hint = isStartup ? "; inspect or restore the file, or start with recovery from corruption enabled to continue from the last good point" : ""
            throw .internalError("data directory is corrupt: \(location): \(reason)\(hint)")
        }
        logger.critical("data directory is corrupt; continuing from the last good point, later data is set aside as *.corrupt", metadata: ["file": "\(directory)/\(file)", "offset": offset.map(String.init) ?? "-", "reason": reason])
    }

    /// Keeps a copy of a damaged file next to it as `<name>.corrupt`.
    private func preserve(_ name: String, move: Bool = false) {
        let source = directory + "/" + name
        let target = source + ".corrupt"
        if move {
            rename(source, target)
        } else {
            try? FileManager.default.removeItem(atPath: target)
            try? FileManager.default.copyItem(atPath: source, toPath: target)
        }
    }
}

/// Per-account decoding failures written by the threads of `Recovery.replay`.
// @unchecked Sendable: every thread writes only the element of the account it decodes.
private struct SharedFailures: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<(sequence: UInt64, error: MeteringError)?>
}
