/// An error of the metering core: a status code and a message naming the field, the value and the limit.
public struct MeteringError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable {
        case invalidArgument, notFound, alreadyExists, permissionDenied, resourceExhausted, failedPrecondition, unavailable, `internal`
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func invalidArgument(_ message: String) -> MeteringError { MeteringError(code: .invalidArgument, message: message) }
    static func notFound(_ message: String) -> MeteringError { MeteringError(code: .notFound, message: message) }
    static func unavailable(_ message: String) -> MeteringError { MeteringError(code: .unavailable, message: message) }
    static func internalError(_ message: String) -> MeteringError { MeteringError(code: .internal, message: message) }
}
