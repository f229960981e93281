/// Writes frames in the wire layout that `FrameDecoder` reads.
public enum FrameEncoder {
    /// Appends one frame (12-byte header, then the payload) to `buffer`.
    ///
    /// The encoder does not check the payload against a receiver's maximum frame length. A sender that
    /// may produce large payloads compares `payload.count + 8` with the peer's `Limits.maxFrameBytes`.
    public static func append(
        requestID: UInt32, kind: FrameKind, method: UInt8, status: StatusCode, payload: some Collection<UInt8>,
        to buffer: inout [UInt8]
    ) {
        let payloadCount = payload.count
        precondition(
            payloadCount <= Int(UInt32.max) - WireProtocol.minFrameLength,
            "frame payload of \(payloadCount) bytes does not fit the 32-bit length field")
        let header = FrameHeader(
            length: UInt32(payloadCount + WireProtocol.minFrameLength), requestID: requestID, kind: kind.rawValue,
            method: method, status: status.rawValue, flags: 0)
        buffer.reserveCapacity(buffer.count + FrameHeader.size + payloadCount)
        header.append(to: &buffer)
        buffer.append(contentsOf: payload)
    }

    /// Appends `frame` to `buffer`.
    public static func append(_ frame: Frame, to buffer: inout [UInt8]) {
        append(
            requestID: frame.requestID, kind: frame.kind, method: frame.method, status: frame.status,
            payload: frame.payload, to: &buffer)
    }

    /// Returns the bytes of one frame.
    public static func encode(_ frame: Frame) -> [UInt8] {
        var buffer: [UInt8] = []
        append(frame, to: &buffer)
        return buffer
    }
}
