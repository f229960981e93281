import CTallySystem
import Foundation

/// Encoding of snapshot files; FORMAT.md describes the layout.
enum SnapshotCodec {
    static let magic: [UInt8] = Array("TALLYSNP".utf8)
    static let version: UInt32 = 1
    /// Magic (8), version (4), log sequence (8), account count (4).
    static let headerSize = 24

    static func fileName(sequence: UInt64) -> String {
        "snapshot-\(LogFormat.padded(sequence)).snap"
    }

    static func header(sequence: UInt64, accountCount: Int) -> [UInt8] {
        var bytes = magic
        ByteWriter.appendInteger(version, to: &bytes)
        ByteWriter.appendInteger(sequence, to: &bytes)
        ByteWriter.appendInteger(UInt32(accountCount), to: &bytes)
        return bytes
    }

    /// Appends one account: its records in insertion order and its fired notifications.
    static func append(_ account: AccountState, to bytes: inout [UInt8]) {
        ByteWriter.appendString(account.id, to: &bytes)
        ByteWriter.appendInteger(account.lastAppliedSequence, to: &bytes)
        ByteWriter.appendInteger(UInt32(account.sessionNames.count), to: &bytes)
        for name in account.sessionNames {
            ByteWriter.appendString(name, to: &bytes)
        }
        let columns = account.columns
        ByteWriter.appendInteger(UInt64(columns.count), to: &bytes)
        bytes.reserveCapacity(bytes.count + columns.count * 26 + columns.eventBytes.count)
        for index in 0 ..< columns.count {
            ByteWriter.appendInteger(columns.timestamps[index], to: &bytes)
            ByteWriter.appendInteger(columns.sessions[index], to: &bytes)
            ByteWriter.appendInteger(columns.inputTokens[index], to: &bytes)
            ByteWriter.appendInteger(columns.outputTokens[index], to: &bytes)
            ByteWriter.appendInteger(columns.decisions[index], to: &bytes)
            let event = columns.eventID(index)
            ByteWriter.appendInteger(UInt16(event.count), to: &bytes)
            bytes.append(contentsOf: event)
        }
        let notifications = account.periods.keys.sorted().flatMap { account.periods[$0]!.notifications }
        ByteWriter.appendInteger(UInt32(notifications.count), to: &bytes)
        for notification in notifications {
            NotificationCoding.append(notification, to: &bytes)
        }
    }

    /// Decodes a whole snapshot file, checking magic, version and checksum first.
    ///
    /// The accounts come back bulk-loaded: call `finishBulkLoad()` on each before use.
    static func decode(_ bytes: [UInt8], makeAccount: (String) -> AccountState, include: (String) -> Bool) throws(ByteReaderError) -> (sequence: UInt64, accounts: [AccountState]) {
        guard bytes.count >= headerSize + 4 else {
            throw ByteReaderError(message: "file of \(bytes.count) bytes is shorter than a snapshot header and checksum")
        }
        guard bytes[0 ..< 8].elementsEqual(magic) else {
            throw ByteReaderError(message: "wrong magic number at offset 0 (expected \"TALLYSNP\")")
        }
        let bodySize = bytes.count - 4
        let result: Result<(sequence: UInt64, accounts: [AccountState]), ByteReaderError> = bytes.withUnsafeBytes { file in
            do throws(ByteReaderError) {
                var trailer = RawReader(file, offset: bodySize)
                let stored = try trailer.read(UInt32.self)
                let body = UnsafeRawBufferPointer(rebasing: file[0 ..< bodySize])
                guard tally_crc32c(0, body.baseAddress, body.count) == stored else {
                    throw ByteReaderError(message: "checksum mismatch over bytes 0..<\(bodySize) (trailer at offset \(bodySize))")
                }
                var reader = RawReader(body, offset: 8)
                let version = try reader.read(UInt32.self)
                guard version == Self.version else {
                    throw ByteReaderError(message: "unsupported snapshot version \(version) at offset 8 (this build reads version \(Self.version))")
                }
                let sequence = try reader.read(UInt64.self)
                let accountCount = Int(try reader.read(UInt32.self))
                var accounts: [AccountState] = []
                for _ in 0 ..< accountCount {
                    let account = try readAccount(&reader, makeAccount: makeAccount)
                    if include(account.id) {
                        accounts.append(account)
                    }
                }
                guard reader.remaining == 0 else {
                    throw ByteReaderError(message: "\(reader.remaining) unexpected bytes at offset \(reader.offset)")
                }
                return .success((sequence, accounts))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func readAccount(_ reader: inout RawReader, makeAccount: (String) -> AccountState) throws(ByteReaderError) -> AccountState {
        let id = try reader.readString()
        var account = makeAccount(id)
        account.lastAppliedSequence = try reader.read(UInt64.self)
        let sessionCount = Int(try reader.read(UInt32.self))
        guard sessionCount <= reader.remaining / 2 else {
            throw ByteReaderError(message: "session count \(sessionCount) of account \"\(id)\" exceeds the file size")
        }
        // Snapshot session index -> account session index; they differ only if a name repeats.
        var sessionMap: [UInt32] = []
        sessionMap.reserveCapacity(sessionCount)
        for _ in 0 ..< sessionCount {
            sessionMap.append(account.internSession(try reader.readString()))
        }
        let recordCount = Int(try reader.read(UInt64.self))
        guard recordCount <= reader.remaining / 26 else {
            throw ByteReaderError(message: "record count \(recordCount) of account \"\(id)\" exceeds the file size")
        }
        account.columns.reserve(recordCount)
        // NOTE: event id bytes are stored as read; the file checksum, not a UTF-8 check, vouches for them.
        for _ in 0 ..< recordCount {
            let timestamp = try reader.read(Int64.self)
            let session = Int(try reader.read(UInt32.self))
            let input = try reader.read(UInt32.self)
            let output = try reader.read(UInt32.self)
            let decisions = try reader.read(UInt32.self)
            let event = try reader.readBytes()
            guard session < sessionMap.count else {
                throw ByteReaderError(message: "session index \(session) out of range at offset \(reader.offset)")
            }
            account.bulkAppend(timestamp: timestamp, session: sessionMap[session], input: input, output: output, decisions: decisions, eventID: event)
        }
        let notificationCount = Int(try reader.read(UInt32.self))
        for _ in 0 ..< notificationCount {
            account.addNotification(try NotificationCoding.read(&reader))
        }
        return account
    }
}
