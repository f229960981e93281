import TallyWire

/// The request limits the service enforces and announces in its Hello reply.
public struct ServiceLimits: Sendable, Equatable {
    public var maxFrameBytes = 4 * 1024 * 1024
    public var maxBatchRecords = 10_000
    public var maxSessionIDBytes = 128
    public var maxEventIDBytes = 128
    public var defaultPageSize = 100
    public var maxPageSize = 1_000
    public var maxInFlight = 1_024
    public var maxSummarySessions = 1_000

    public init() {}

    var wireLimits: Limits {
        Limits(maxFrameBytes: UInt32(maxFrameBytes), maxBatchRecords: UInt32(maxBatchRecords),
               maxSessionIDBytes: UInt32(maxSessionIDBytes), maxEventIDBytes: UInt32(maxEventIDBytes),
               maxPageSize: UInt32(maxPageSize), maxInFlight: UInt32(maxInFlight),
               maxSummarySessions: UInt32(maxSummarySessions))
    }
}
