/// Limits that the core enforces on every request.
public enum Limits {
    /// Maximum number of records in one `record` call.
    public static let maxRecordsPerBatch = 10_000
    /// Maximum account id length in UTF-8 bytes.
    public static let maxAccountIDBytes = 64
    /// Maximum session id length in UTF-8 bytes; the minimum is 1.
    public static let maxSessionIDBytes = 128
    /// Maximum event id length in UTF-8 bytes; the minimum is 0 (no deduplication).
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
