/// The RPC method carried in byte 9 of a frame header.
public enum Method: UInt8, Sendable, Equatable, Hashable, CaseIterable {
    case hello = 0
    case recordUsage = 1
    case getSummary = 2
    case listRecords = 3
    case getQuota = 4

    /// The method name as the protocol specification writes it, such as "RecordUsage".
    public var name: String {
        switch self {
        case .hello: "Hello"
        case .recordUsage: "RecordUsage"
        case .getSummary: "GetSummary"
        case .listRecords: "ListRecords"
        case .getQuota: "GetQuota"
        }
    }
}
