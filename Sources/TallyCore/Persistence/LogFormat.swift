import CTallySystem
import Foundation

/// Constants and encoders of the write-ahead log; FORMAT.md describes the layout.
enum LogFormat {
    static let magic: [UInt8] = Array("TALLYWAL".utf8)
    static let version: UInt32 = 1
    /// Segment header: magic (8), version (4), first sequence (8), CRC32C of those 20 bytes (4).
    static let headerSize = 24
    /// Entry framing around the payload: length (4), sequence (8), type (1), CRC32C (4).
    static let entryOverhead = 17
    /// Largest payload a reader accepts; a batch of 10,000 records with maximal ids stays far below it.
    static let maxPayloadSize = 64 * 1024 * 1024

    enum EntryType: UInt8 {
        /// The records a `record` call accepted for one account and the notifications they fired.
        case usageBatch = 1
    }

    static func segmentName(firstSequence: UInt64) -> String {
        "wal-\(padded(firstSequence)).log"
    }

    static func padded(_ value: UInt64) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    static func crc(_ bytes: ArraySlice<UInt8>, seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { tally_crc32c(seed, $0.baseAddress, $0.count) }
    }

    static func header(firstSequence: UInt64) -> [UInt8] {
        var bytes = magic
        ByteWriter.appendInteger(version, to: &bytes)
        ByteWriter.appendInteger(firstSequence, to: &bytes)
        ByteWriter.appendInteger(crc(bytes[...]), to: &bytes)
        return bytes
    }

    /// Appends one framed entry to `buffer`.
    static func appendEntry(sequence: UInt64, type: EntryType, payload: [UInt8], to buffer: inout [UInt8]) {
        ByteWriter.appendInteger(UInt32(payload.count), to: &buffer)
        let checked = buffer.count
        ByteWriter.appendInteger(sequence, to: &buffer)
        buffer.append(type.rawValue)
        buffer.append(contentsOf: payload)
        let checksum = crc(buffer[checked...])
        ByteWriter.appendInteger(checksum, to: &buffer)
    }
}

/// The payload of a usage batch entry.
struct UsageBatch: Equatable {
    var accountID: String
    var records: [AcceptedRecord]
    var notifications: [QuotaNotification]

    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16 + records.count * 40)
        ByteWriter.appendString(accountID, to: &bytes)
        ByteWriter.appendInteger(UInt32(records.count), to: &bytes)
        for record in records {
            ByteWriter.appendInteger(record.timestampMs, to: &bytes)
            ByteWriter.appendInteger(record.inputTokens, to: &bytes)
            ByteWriter.appendInteger(record.outputTokens, to: &bytes)
            ByteWriter.appendInteger(record.decisions, to: &bytes)
            ByteWriter.appendString(record.sessionID, to: &bytes)
            ByteWriter.appendString(record.eventID, to: &bytes)
        }
        ByteWriter.appendInteger(UInt32(notifications.count), to: &bytes)
        for notification in notifications {
            NotificationCoding.append(notification, to: &bytes)
        }
        return bytes
    }

    init(accountID: String, records: [AcceptedRecord], notifications: [QuotaNotification]) {
        self.accountID = accountID
        self.records = records
        self.notifications = notifications
    }

    init(decoding bytes: [UInt8]) throws(ByteReaderError) {
        var reader = ByteReader(bytes)
        accountID = try reader.readString()
        let recordCount = Int(try reader.readInteger(UInt32.self))
        guard recordCount <= reader.remaining / 24 else {
            throw ByteReaderError(message: "record count \(recordCount) exceeds the payload size")
        }
        records = []
        records.reserveCapacity(recordCount)
        for _ in 0 ..< recordCount {
            let timestamp = try reader.readInteger(Int64.self)
            let input = try reader.readInteger(UInt32.self)
            let output = try reader.readInteger(UInt32.self)
            let decisions = try reader.readInteger(UInt32.self)
            let session = try reader.readString()
            let event = try reader.readString()
            records.append(AcceptedRecord(timestampMs: timestamp, sessionID: session, inputTokens: input, outputTokens: output, decisions: decisions, eventID: event))
        }
        let notificationCount = Int(try reader.readInteger(UInt32.self))
        notifications = []
        for _ in 0 ..< notificationCount {
            notifications.append(try NotificationCoding.read(&reader))
        }
        guard reader.remaining == 0 else {
            throw ByteReaderError(message: "\(reader.remaining) unexpected bytes after the usage batch")
        }
    }
}

extension UsageBatch {
    /// Reads the account id and record count at the start of a usage batch payload.
    static func header(_ payload: UnsafeRawBufferPointer) throws(ByteReaderError) -> (accountID: String, recordCount: Int) {
        var reader = RawReader(payload)
        let accountID = try reader.readString()
        let recordCount = Int(try reader.read(UInt32.self))
        guard recordCount <= reader.remaining / 24 else {
            throw ByteReaderError(message: "record count \(recordCount) exceeds the payload size")
        }
        return (accountID, recordCount)
    }

    /// Appends a usage batch payload's records and notifications to `account` without building
    /// intermediate values; the account needs `finishBulkLoad()` afterwards. Returns the record count.
    static func load(_ payload: UnsafeRawBufferPointer, into account: inout AccountState) throws(ByteReaderError) -> Int {
        var reader = RawReader(payload)
        _ = try reader.readBytes()
        let recordCount = Int(try reader.read(UInt32.self))
        guard recordCount <= reader.remaining / 24 else {
            throw ByteReaderError(message: "record count \(recordCount) exceeds the payload size")
        }
        // Records of a batch usually share a session, so the previous record's session is checked before the dictionary.
        var previousSession: (bytes: UnsafeRawBufferPointer, index: UInt32)?
        for _ in 0 ..< recordCount {
            let timestamp = try reader.read(Int64.self)
            let input = try reader.read(UInt32.self)
            let output = try reader.read(UInt32.self)
            let decisions = try reader.read(UInt32.self)
            let sessionBytes = try reader.readBytes()
            let session: UInt32
            if let previous = previousSession, previous.bytes.elementsEqual(sessionBytes) {
                session = previous.index
            } else {
                session = account.internSession(bytes: sessionBytes)
                previousSession = (sessionBytes, session)
            }
            let event = try reader.readBytes()
            account.bulkAppend(timestamp: timestamp, session: session, input: input, output: output, decisions: decisions, eventID: event)
        }
        let notificationCount = Int(try reader.read(UInt32.self))
        for _ in 0 ..< notificationCount {
            account.addNotification(try NotificationCoding.read(&reader))
        }
        guard reader.remaining == 0 else {
            throw ByteReaderError(message: "\(reader.remaining) unexpected bytes after the usage batch")
        }
        return recordCount
    }
}

/// Encoding of a notification in log entries and snapshots: 37 bytes.
enum NotificationCoding {
    static func append(_ notification: QuotaNotification, to bytes: inout [UInt8]) {
        let resource: UInt8 = switch notification.resource {
        case .tokens: 0
        case .decisions: 1
        case .sessions: 2
        }
        bytes.append(resource)
        ByteWriter.appendInteger(notification.thresholdPercent, to: &bytes)
        ByteWriter.appendInteger(notification.used, to: &bytes)
        ByteWriter.appendInteger(notification.limit, to: &bytes)
        ByteWriter.appendInteger(notification.crossedAtMs, to: &bytes)
        ByteWriter.appendInteger(notification.periodStartMs, to: &bytes)
    }

    static func read(_ reader: inout RawReader) throws(ByteReaderError) -> QuotaNotification {
        let code = try reader.read(UInt8.self)
        guard let resource = resource(code) else {
            throw ByteReaderError(message: "unknown resource code \(code)")
        }
        return QuotaNotification(
            resource: resource,
            thresholdPercent: try reader.read(UInt32.self),
            used: try reader.read(UInt64.self),
            limit: try reader.read(UInt64.self),
            crossedAtMs: try reader.read(Int64.self),
            periodStartMs: try reader.read(Int64.self)
        )
    }

    private static func resource(_ code: UInt8) -> QuotaResource? {
        switch code {
        case 0: .tokens
        case 1: .decisions
        case 2: .sessions
        default: nil
        }
    }

    static func read(_ reader: inout ByteReader) throws(ByteReaderError) -> QuotaNotification {
        let code = try reader.readInteger(UInt8.self)
        let resource: QuotaResource
        switch code {
        case 0: resource = .tokens
        case 1: resource = .decisions
        case 2: resource = .sessions
        default: throw ByteReaderError(message: "unknown resource code \(code)")
        }
        return QuotaNotification(
            resource: resource,
            thresholdPercent: try reader.readInteger(UInt32.self),
            used: try reader.readInteger(UInt64.self),
            limit: try reader.readInteger(UInt64.self),
            crossedAtMs: try reader.readInteger(Int64.self),
            periodStartMs: try reader.readInteger(Int64.self)
        )
    }
}
