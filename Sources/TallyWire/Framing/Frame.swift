/// A decoded frame: header fields and payload.
public struct Frame: Sendable, Equatable {
    /// The client-chosen id that the reply echoes.
    public var requestID: UInt32
    /// Request or reply.
    public var kind: FrameKind
    /// The raw method byte, kept as sent so that an unknown method can get an UNIMPLEMENTED reply.
    public var method: UInt8
    /// `.ok` in requests. In replies, the outcome, where a byte outside 0...16 reads as `.unknown`.
    public var status: StatusCode
    /// The message on success, otherwise the UTF-8 error message.
    public var payload: [UInt8]

    public init(requestID: UInt32, kind: FrameKind, method: UInt8, status: StatusCode = .ok, payload: [UInt8] = []) {
        self.requestID = requestID
        self.kind = kind
        self.method = method
        self.status = status
        self.payload = payload
    }

    /// Creates a frame for a method defined in this build.
    public init(requestID: UInt32, kind: FrameKind, method: Method, status: StatusCode = .ok, payload: [UInt8] = []) {
        self.init(requestID: requestID, kind: kind, method: method.rawValue, status: status, payload: payload)
    }

    /// The method, or nil when the method byte is not one defined in this build.
    public var knownMethod: Method? { Method(rawValue: method) }
}
