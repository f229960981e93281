/// The role of an API key (proto enum `tally.v1.Role`).
public enum Role: Sendable, Equatable, Hashable {
    case unspecified
    /// Reads and writes one account.
    case agent
    /// Reads summaries and quotas of any account and writes nothing.
    case service
    /// Reads and writes every account.
    case admin
    /// A value that this build does not know, kept so that it encodes back unchanged.
    case unrecognized(Int32)

    /// Creates a role from its proto enum value.
    public init(protoValue: Int32) {
        switch protoValue {
        case 0: self = .unspecified
        case 1: self = .agent
        case 2: self = .service
        case 3: self = .admin
        default: self = .unrecognized(protoValue)
        }
    }

    /// The proto enum value.
    public var protoValue: Int32 {
        switch self {
        case .unspecified: 0
        case .agent: 1
        case .service: 2
        case .admin: 3
        case .unrecognized(let value): value
        }
    }
}
