/// A failed RPC: the status code of a reply frame and its UTF-8 error message.
public struct RPCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The status code; never `.ok` for a real failure.
    public var code: StatusCode
    /// The error message, which names the field, the value and the limit where one applies.
    public var message: String

    public init(code: StatusCode, message: String) {
        self.code = code
        self.message = message
    }

    /// The code name and the message, such as "INVALID_ARGUMENT: page_size: 5000 is over the maximum of 1000".
    public var description: String { "\(code.name): \(message)" }
}
