/// A named time range resolved in the request's time zone (proto enum `tally.v1.Preset`).
public enum Preset: Sendable, Equatable, Hashable {
    /// No preset: the range is `[startMs, endMs)`.
    case unspecified
    /// Local midnight today to now.
    case today
    /// Local midnight six days ago to now: seven calendar days.
    case last7Days
    /// Local midnight 29 days ago to now: thirty calendar days.
    case last30Days
    /// Every record.
    case allTime
    /// A value that this build does not know, kept so that it encodes back unchanged.
    case unrecognized(Int32)

    /// Creates a preset from its proto enum value.
    public init(protoValue: Int32) {
        switch protoValue {
        case 0: self = .unspecified
        case 1: self = .today
        case 2: self = .last7Days
        case 3: self = .last30Days
        case 4: self = .allTime
        default: self = .unrecognized(protoValue)
        }
    }

    /// The proto enum value.
    public var protoValue: Int32 {
        switch self {
        case .unspecified: 0
        case .today: 1
        case .last7Days: 2
        case .last30Days: 3
        case .allTime: 4
        case .unrecognized(let value): value
        }
    }
}
