/// A protocol message that encodes and decodes through protobuf-c.
public protocol WireMessage: Sendable, Equatable {
    /// Decodes a serialized message.
    ///
    /// - Throws: `WireError` when the payload is over `WireProtocol.maxPayloadBytes`, is not a valid
    ///   encoding of this message, or has a string field that is not valid UTF-8 or contains U+0000.
    init(serializedBytes: UnsafeRawBufferPointer) throws(WireError)

    /// Encodes the message in the protobuf binary format.
    func serializedBytes() -> [UInt8]
}

extension WireMessage {
    /// Decodes a serialized message from an array.
    public init(serializedBytes bytes: [UInt8]) throws(WireError) {
        // Array.withUnsafeBytes is rethrows, which erases the error type, so the result travels in a Result.
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(WireError) -> Self in try Self(serializedBytes: buffer) }
        }
        self = try result.get()
    }
}
