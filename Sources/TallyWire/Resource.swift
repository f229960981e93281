/// A metered resource with a quota (proto enum `tally.v1.Resource`).
public enum Resource: Sendable, Equatable, Hashable {
    case unspecified
    /// Input plus output tokens.
    case tokens
    /// Policy decisions.
    case decisions
    /// Distinct session ids.
    case sessions
    /// A value that this build does not know, kept so that it encodes back unchanged.
    case unrecognized(Int32)

    /// Creates a resource from its proto enum value.
    public init(protoValue: Int32) {
        switch protoValue {
        case 0: self = .unspecified
        case 1: self = .tokens
        case 2: self = .decisions
        case 3: self = .sessions
        default: self = .unrecognized(protoValue)
        }
    }

    /// The proto enum value.
    public var protoValue: Int32 {
        switch self {
        case .unspecified: 0
        case .tokens: 1
        case .decisions: 2
        case .sessions: 3
        case .unrecognized(let value): value
        }
    }
}
