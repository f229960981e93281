/// An incremental frame parser: append bytes as they arrive, then take complete frames.
///
/// The length field is checked as soon as its 4 bytes arrive, and the kind and flags once the
/// 12-byte header is complete, so an invalid header fails before any body byte is needed.
/// After a `FrameError` the decoder drops its buffer and every later `nextFrame()` throws the same error.
public struct FrameDecoder: Sendable {
    /// Consumed bytes at the front of the buffer are moved out once there are this many and they make
    /// up at least half of it, so the cost of compaction stays linear in the bytes appended.
    private static let compactionThreshold = 4096

    /// The maximum of the length field, in bytes.
    public let maxFrameLength: Int

    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var failure: FrameError?

    public init(maxFrameLength: Int = WireProtocol.defaultMaxFrameLength) {
        precondition(
            maxFrameLength >= WireProtocol.minFrameLength && maxFrameLength <= Int(UInt32.max),
            "maxFrameLength \(maxFrameLength) is outside \(WireProtocol.minFrameLength)...\(UInt32.max)")
        self.maxFrameLength = maxFrameLength
    }

    /// Bytes received but not yet returned in a frame.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Appends received bytes; after a `FrameError` they are dropped.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, !bytes.isEmpty else {
            return
        }
        compactIfNeeded()
        buffer.append(contentsOf: bytes)
    }

    /// Appends received bytes from a collection.
    public mutating func append(contentsOf bytes: some Collection<UInt8>) {
        guard failure == nil, !bytes.isEmpty else {
            return
        }
        compactIfNeeded()
        buffer.append(contentsOf: bytes)
    }

    /// Returns the next complete frame, or nil when more bytes are needed.
    public mutating func nextFrame() throws(FrameError) -> Frame? {
        if let failure {
            throw failure
        }
        let available = bufferedByteCount
        if available < 4 {
            return nil
        }

        let header = readHeaderPrefix(available: available)
        if let error = validate(header) {
            failure = error
            buffer = []
            readIndex = 0
            throw error
        }
        guard let header = header.complete else {
            return nil
        }

        let frameSize = 4 + Int(header.length)
        if available < frameSize {
            return nil
        }
        let payloadStart = readIndex + FrameHeader.size
        let payload = Array(buffer[payloadStart..<(readIndex + frameSize)])
        readIndex += frameSize
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }

        guard let kind = FrameKind(rawValue: header.kind) else {
            preconditionFailure("frame kind \(header.kind) passed validation")
        }
        let status = StatusCode(rawValue: header.status) ?? .unknown
        return Frame(requestID: header.requestID, kind: kind, method: header.method, status: status, payload: payload)
    }

    /// The length field and, once 12 bytes are buffered, the whole header.
    private struct HeaderPrefix {
        var length: UInt32
        var complete: FrameHeader?
    }

    private func readHeaderPrefix(available: Int) -> HeaderPrefix {
        buffer.withUnsafeBytes { bytes in
            let start = UnsafeRawBufferPointer(rebasing: bytes[readIndex...])
            let length = FrameHeader.readUInt32(start, at: 0)
            let header = available >= FrameHeader.size ? FrameHeader(bytes: start) : nil
            return HeaderPrefix(length: length, complete: header)
        }
    }

    private func validate(_ prefix: HeaderPrefix) -> FrameError? {
        if Int(prefix.length) > maxFrameLength {
            return .tooLarge(declared: prefix.length, maximum: maxFrameLength)
        }
        if Int(prefix.length) < WireProtocol.minFrameLength {
            return .tooShort(declared: prefix.length)
        }
        guard let header = prefix.complete else {
            return nil
        }
        if FrameKind(rawValue: header.kind) == nil {
            return .invalidKind(header.kind)
        }
        if header.flags != 0 {
            return .invalidFlags(header.flags)
        }
        return nil
    }

    private mutating func compactIfNeeded() {
        if readIndex >= Self.compactionThreshold && readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}
