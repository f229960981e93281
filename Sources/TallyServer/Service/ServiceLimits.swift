import TallyCore
import TallyWire

/// The request limits the service enforces and announces in its Hello reply.
///
/// The core enforces its own maxima (`TallyCore.Limits`) on batches, pages,
/// summaries and ids, so these values may lower those maxima but not raise
/// them. `validated()` checks that. The id limits reach the core through
/// `recordLimits` when it opens.
public struct ServiceLimits: Sendable, Equatable {
    /// The maximum of a frame's length field, in bytes.
    public var maxFrameBytes = WireProtocol.defaultMaxFrameLength
    /// Records in one RecordUsage request.
    public var maxBatchRecords = TallyCore.Limits.maxRecordsPerBatch
    /// Session id length of a new record, in UTF-8 bytes.
    public var maxSessionIDBytes = TallyCore.Limits.maxSessionIDBytes
    /// Event id length of a new record, in UTF-8 bytes.
    public var maxEventIDBytes = TallyCore.Limits.maxEventIDBytes
    /// ListRecords page size when a request sends 0.
    public var defaultPageSize = TallyCore.Limits.defaultPageSize
    /// Records in one ListRecords page.
    public var maxPageSize = TallyCore.Limits.maxPageSize
    /// Requests sent on one connection and not yet answered.
    public var maxInFlight = 1_024
    /// Session rows in one GetSummary reply.
    public var maxSummarySessions = TallyCore.Limits.maxSummarySessions

    public init() {}

    /// An invalid limit setting, with the limit's name and the allowed range.
    public struct InvalidLimit: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Returns the limits when each lies in its allowed range.
    ///
    /// - Throws: `InvalidLimit` naming the first limit outside its range,
    ///   its value and the range.
    public func validated() throws(InvalidLimit) -> ServiceLimits {
        let checks: [(name: String, value: Int, range: ClosedRange<Int>)] = [
            ("max_frame_bytes", maxFrameBytes, (WireProtocol.minFrameLength + 64)...WireProtocol.maxPayloadBytes),
            ("max_batch_records", maxBatchRecords, 1...TallyCore.Limits.maxRecordsPerBatch),
            ("max_page_size", maxPageSize, 1...TallyCore.Limits.maxPageSize),
            ("default_page_size", defaultPageSize, 1...maxPageSize),
            ("max_summary_sessions", maxSummarySessions, 1...TallyCore.Limits.maxSummarySessions),
            ("max_in_flight", maxInFlight, 1...65_536),
            ("max_session_id_bytes", maxSessionIDBytes, 1...TallyCore.Limits.maxSessionIDBytes),
            ("max_event_id_bytes", maxEventIDBytes, 1...TallyCore.Limits.maxEventIDBytes),
        ]
        for check in checks where !check.range.contains(check.value) {
            throw InvalidLimit(description: "\(check.name): \(check.value) is outside the allowed range \(check.range.lowerBound) to \(check.range.upperBound)")
        }
        return self
    }

    /// The id limits the core enforces on new records.
    public var recordLimits: RecordLimits {
        RecordLimits(maxSessionIDBytes: maxSessionIDBytes, maxEventIDBytes: maxEventIDBytes)
    }

    var wireLimits: TallyWire.Limits {
        TallyWire.Limits(maxFrameBytes: UInt32(maxFrameBytes), maxBatchRecords: UInt32(maxBatchRecords),
                         maxSessionIDBytes: UInt32(maxSessionIDBytes), maxEventIDBytes: UInt32(maxEventIDBytes),
                         maxPageSize: UInt32(maxPageSize), maxInFlight: UInt32(maxInFlight),
                         maxSummarySessions: UInt32(maxSummarySessions))
    }
}
