/// Limits that the core enforces on every request.
public enum Limits {
    /// Maximum number of records in one `record` call.
    public static let maxRecordsPerBatch = 10_000
    /// Maximum account id length in UTF-8 bytes.
    public static let maxAccountIDBytes = 64
    /// Largest session id length in UTF-8 bytes that a `RecordLimits` may
    /// allow, and the limit on session filters in queries.
    public static let maxSessionIDBytes = 128
    /// Largest event id length in UTF-8 bytes that a `RecordLimits` may allow.
    public static let maxEventIDBytes = 128
    /// Maximum input tokens, output tokens or decisions of one record.
    public static let maxCountPerRecord: UInt64 = UInt64(UInt32.max)
    /// How far in the future a record's timestamp may lie, in milliseconds.
    public static let maxFutureSkewMs: Int64 = 300_000
    /// Page size used when a request passes 0.
    public static let defaultPageSize = 100
    /// Maximum records per `listRecords` page.
    public static let maxPageSize = 1_000
    /// Maximum session rows in a summary; a request passing 0 gets this many.
    public static let maxSummarySessions = 1_000
    /// Maximum time zone name length in UTF-8 bytes.
    public static let maxTimeZoneBytes = 64
}

/// Id length limits on new records, which an operator may set below the core's maxima.
///
/// They apply to records as they arrive. Records already stored keep their ids,
/// and queries accept session filters up to `Limits.maxSessionIDBytes`.
public struct RecordLimits: Sendable, Equatable {
    /// Session id length in UTF-8 bytes; the minimum is 1.
    public var maxSessionIDBytes: Int
    /// Event id length in UTF-8 bytes; 0 bytes (no deduplication) is always allowed.
    public var maxEventIDBytes: Int

    public init(maxSessionIDBytes: Int = Limits.maxSessionIDBytes, maxEventIDBytes: Int = Limits.maxEventIDBytes) {
        self.maxSessionIDBytes = maxSessionIDBytes
        self.maxEventIDBytes = maxEventIDBytes
    }

    /// Returns the error text for a session id of `bytes` UTF-8 bytes over the limit, or nil when it fits.
    func sessionIDProblem(bytes: Int) -> String? {
        guard bytes > maxSessionIDBytes else { return nil }
        return "session_id: \(bytes) bytes is over the maximum of \(maxSessionIDBytes) bytes (max_session_id_bytes)"
    }

    /// Returns the limits when each lies between 1 and the core's maximum.
    ///
    /// - Throws: `MeteringError.invalidArgument` naming the limit, its value and the range.
    public func validated() throws(MeteringError) -> RecordLimits {
        let checks = [
            ("max_session_id_bytes", maxSessionIDBytes, Limits.maxSessionIDBytes),
            ("max_event_id_bytes", maxEventIDBytes, Limits.maxEventIDBytes),
        ]
        for (name, value, maximum) in checks where value < 1 || value > maximum {
            throw .invalidArgument("\(name): \(value) is outside the allowed range 1 to \(maximum)")
        }
        return self
    }
}
