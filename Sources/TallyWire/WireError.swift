/// A message payload that could not be decoded.
public struct WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failure description, naming the message and, where known, the field.
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
