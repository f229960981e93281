/// The fixed 12-byte header that starts every frame, in big-endian byte order.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 4 | length: bytes after this field, at least 8 |
/// | 4 | 4 | request id |
/// | 8 | 1 | kind |
/// | 9 | 1 | method |
/// | 10 | 1 | status |
/// | 11 | 1 | flags |
public struct FrameHeader: Sendable, Equatable {
    /// The header size in bytes.
    public static let size = 12

    /// Bytes after the length field: the remaining 8 header bytes plus the payload.
    public var length: UInt32
    /// The client-chosen id that the reply echoes.
    public var requestID: UInt32
    /// The raw kind byte: 1 for a request, 2 for a reply.
    public var kind: UInt8
    /// The raw method byte, which may be a method not defined in this build.
    public var method: UInt8
    /// The raw status byte: 0 in requests, a `StatusCode` in replies.
    public var status: UInt8
    /// The raw flags byte, reserved and 0 in version 1.
    public var flags: UInt8

    public init(length: UInt32, requestID: UInt32, kind: UInt8, method: UInt8, status: UInt8, flags: UInt8 = 0) {
        self.length = length
        self.requestID = requestID
        self.kind = kind
        self.method = method
        self.status = status
        self.flags = flags
    }

    /// Reads a header from the first 12 bytes of `bytes`, without validating it.
    public init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count >= Self.size, "a frame header needs \(Self.size) bytes, got \(bytes.count)")
        length = Self.readUInt32(bytes, at: 0)
        requestID = Self.readUInt32(bytes, at: 4)
        kind = bytes[8]
        method = bytes[9]
        status = bytes[10]
        flags = bytes[11]
    }

    /// The payload size in bytes that `length` announces; negative when `length` is under 8.
    public var payloadLength: Int { Int(length) - WireProtocol.minFrameLength }

    /// Appends the 12 header bytes to `buffer`.
    public func append(to buffer: inout [UInt8]) {
        Self.appendUInt32(length, to: &buffer)
        Self.appendUInt32(requestID, to: &buffer)
        buffer.append(kind)
        buffer.append(method)
        buffer.append(status)
        buffer.append(flags)
    }

    static func readUInt32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    private static func appendUInt32(_ value: UInt32, to buffer: inout [UInt8]) {
        buffer.append(UInt8(truncatingIfNeeded: value >> 24))
        buffer.append(UInt8(truncatingIfNeeded: value >> 16))
        buffer.append(UInt8(truncatingIfNeeded: value >> 8))
        buffer.append(UInt8(truncatingIfNeeded: value))
    }
}
