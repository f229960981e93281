/// One page of records, newest first.
public struct RecordPage: Sendable, Equatable {
    public var records: [StoredUsage]
    /// Token for the next page; empty when this is the last page.
    public var nextPageToken: String
    /// Resolved range of the walk, fixed by its first page.
    public var startMs: Int64
    public var endMs: Int64

    public init(records: [StoredUsage], nextPageToken: String, startMs: Int64, endMs: Int64) {
        self.records = records
        self.nextPageToken = nextPageToken
        self.startMs = startMs
        self.endMs = endMs
    }
}
