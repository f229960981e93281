/// A status code, numbered as gRPC numbers them (proto enum `tally.v1.Code`).
///
/// It appears in the status byte of reply frames and in `RecordResult.status`.
/// Values outside 0...16 have no case: `init(protoValue:)` maps them to `.unknown`,
/// which is how gRPC clients treat status codes they do not know.
public enum StatusCode: UInt8, Sendable, Equatable, Hashable, CaseIterable {
    case ok = 0
    case cancelled = 1
    case unknown = 2
    case invalidArgument = 3
    case deadlineExceeded = 4
    case notFound = 5
    case alreadyExists = 6
    case permissionDenied = 7
    case resourceExhausted = 8
    case failedPrecondition = 9
    case aborted = 10
    case outOfRange = 11
    case unimplemented = 12
    case `internal` = 13
    case unavailable = 14
    case dataLoss = 15
    case unauthenticated = 16

    /// Creates a status code from a proto enum value, mapping values this build does not know to `.unknown`.
    public init(protoValue: Int32) {
        if let code = UInt8(exactly: protoValue).flatMap(StatusCode.init(rawValue:)) {
            self = code
        } else {
            self = .unknown
        }
    }

    /// The proto enum value.
    public var protoValue: Int32 { Int32(rawValue) }

    /// The proto and gRPC name, such as "INVALID_ARGUMENT".
    public var name: String {
        switch self {
        case .ok: "OK"
        case .cancelled: "CANCELLED"
        case .unknown: "UNKNOWN"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .aborted: "ABORTED"
        case .outOfRange: "OUT_OF_RANGE"
        case .unimplemented: "UNIMPLEMENTED"
        case .internal: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .dataLoss: "DATA_LOSS"
        case .unauthenticated: "UNAUTHENTICATED"
        }
    }
}
