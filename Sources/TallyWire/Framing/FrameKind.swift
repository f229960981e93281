/// The direction of a frame, carried in byte 8 of its header.
public enum FrameKind: UInt8, Sendable, Equatable, Hashable {
    case request = 1
    case reply = 2
}
