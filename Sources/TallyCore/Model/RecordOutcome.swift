/// The result for one record of a `record` batch.
public enum RecordOutcome: Sendable, Equatable {
    /// Stored; carries the resolved timestamp and the notifications this record fired.
    case accepted(timestampMs: Int64, notifications: [QuotaNotification])
    /// Not stored again because its event id was already stored with the same content.
    case duplicate(timestampMs: Int64)
    /// Not stored: invalidArgument, alreadyExists, resourceExhausted or unavailable.
    case rejected(MeteringError)
}
