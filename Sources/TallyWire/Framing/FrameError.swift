/// A frame header that breaks the framing rules; the connection cannot continue after it.
public enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The length field is over the maximum frame length.
    case tooLarge(declared: UInt32, maximum: Int)
    /// The length field is under 8, the size of the header bytes it counts.
    case tooShort(declared: UInt32)
    /// The kind byte is neither 1 (request) nor 2 (reply).
    case invalidKind(UInt8)
    /// The reserved flags byte is not 0.
    case invalidFlags(UInt8)

    public var description: String {
        switch self {
        case .tooLarge(let declared, let maximum):
            "frame length \(declared) is over the maximum of \(maximum) bytes"
        case .tooShort(let declared):
            "frame length \(declared) is under the minimum of \(WireProtocol.minFrameLength) bytes"
        case .invalidKind(let kind):
            "frame kind \(kind) is invalid: expected 1 (request) or 2 (reply)"
        case .invalidFlags(let flags):
            "frame flags \(flags) are invalid: the flags byte is reserved and must be 0"
        }
    }
}
