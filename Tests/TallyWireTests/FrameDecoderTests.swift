import Testing

@testable import TallyWire

/// Collects every frame that `decoder` can return right now.
private func drain(_ decoder: inout FrameDecoder) throws(FrameError) -> [Frame] {
    var frames: [Frame] = []
    while let frame = try decoder.nextFrame() {
        frames.append(frame)
    }
    return frames
}

/// Returns the error that `nextFrame()` throws, or nil.
private func frameError(_ decoder: inout FrameDecoder) -> FrameError? {
    do {
        _ = try decoder.nextFrame()
        return nil
    } catch {
        return error
    }
}

private let sampleFrames: [Frame] = [
    Frame(requestID: 1, kind: .request, method: .hello, payload: HelloRequest(protocolVersion: 1).serializedBytes()),
    Frame(requestID: 2, kind: .request, method: .recordUsage, payload: []),
    Frame(requestID: UInt32.max, kind: .reply, method: .getQuota, status: .resourceExhausted, payload: Array("quota".utf8)),
    Frame(requestID: 7, kind: .request, method: 200, payload: [UInt8](repeating: 0xAB, count: 5_000)),
]

@Suite("Frame decoder")
struct FrameDecoderTests {
    @Test("frames fed byte by byte")
    func byteByByte() throws {
        var bytes: [UInt8] = []
        for frame in sampleFrames {
            FrameEncoder.append(frame, to: &bytes)
        }

        var decoder = FrameDecoder()
        var frames: [Frame] = []
        for byte in bytes {
            decoder.append(contentsOf: [byte])
            frames += try drain(&decoder)
        }
        #expect(frames == sampleFrames)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("many frames byte by byte")
    func manyFramesByteByByte() throws {
        var bytes: [UInt8] = []
        for index in 0..<3_000 {
            let payload = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: index % 17)
            FrameEncoder.append(
                requestID: UInt32(index), kind: .request, method: 3, status: .ok, payload: payload, to: &bytes)
        }

        var decoder = FrameDecoder()
        var count = 0
        for byte in bytes {
            decoder.append(contentsOf: CollectionOfOne(byte))
            while let frame = try decoder.nextFrame() {
                #expect(frame.requestID == UInt32(count))
                #expect(frame.payload.count == count % 17)
                count += 1
            }
        }
        #expect(count == 3_000)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("several frames in one chunk")
    func severalFramesInOneChunk() throws {
        var bytes: [UInt8] = []
        for frame in sampleFrames {
            FrameEncoder.append(frame, to: &bytes)
        }
        var decoder = FrameDecoder()
        bytes.withUnsafeBytes { decoder.append($0) }
        #expect(try drain(&decoder) == sampleFrames)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("chunk ending in a partial frame")
    func partialTail() throws {
        var bytes: [UInt8] = []
        for frame in sampleFrames {
            FrameEncoder.append(frame, to: &bytes)
        }
        let split = bytes.count - 100
        var decoder = FrameDecoder()
        decoder.append(contentsOf: bytes[..<split])
        #expect(try drain(&decoder) == Array(sampleFrames.prefix(3)))
        #expect(decoder.bufferedByteCount == 5_012 - 100)

        decoder.append(contentsOf: bytes[split...])
        #expect(try drain(&decoder) == [sampleFrames[3]])
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("header announcing 2 GiB")
    func twoGiBHeader() {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: [0x80, 0x00, 0x00, 0x00])
        let error = frameError(&decoder)
        #expect(error == .tooLarge(declared: 2_147_483_648, maximum: 4_194_304))
        #expect(error?.description == "frame length 2147483648 is over the maximum of 4194304 bytes")
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("2 GiB header with the full 12 bytes")
    func twoGiBFullHeader() {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: [0x80, 0x00, 0x00, 0x00, 0, 0, 0, 9, 1, 1, 0, 0])
        #expect(frameError(&decoder) == .tooLarge(declared: 2_147_483_648, maximum: 4_194_304))
    }

    @Test("error is sticky and later bytes are dropped")
    func stickyError() {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(frameError(&decoder) == .tooLarge(declared: UInt32.max, maximum: 4_194_304))
        decoder.append(contentsOf: [UInt8](repeating: 0, count: 64))
        #expect(decoder.bufferedByteCount == 0)
        #expect(frameError(&decoder) == .tooLarge(declared: UInt32.max, maximum: 4_194_304))
    }

    @Test("length at the maximum is accepted")
    func lengthAtMaximum() throws {
        var decoder = FrameDecoder(maxFrameLength: 64)
        let payload = [UInt8](repeating: 7, count: 56)
        decoder.append(contentsOf: FrameEncoder.encode(Frame(requestID: 3, kind: .request, method: .listRecords, payload: payload)))
        #expect(try decoder.nextFrame()?.payload == payload)

        var tooLarge = FrameDecoder(maxFrameLength: 64)
        tooLarge.append(contentsOf: [0, 0, 0, 65])
        #expect(frameError(&tooLarge) == .tooLarge(declared: 65, maximum: 64))
        #expect(frameError(&tooLarge)?.description == "frame length 65 is over the maximum of 64 bytes")
    }

    @Test("length under 8", arguments: 0..<8)
    func lengthUnderEight(length: Int) {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: [0, 0, 0, UInt8(length)])
        #expect(frameError(&decoder) == .tooShort(declared: UInt32(length)))
        #expect(frameError(&decoder)?.description == "frame length \(length) is under the minimum of 8 bytes")
    }

    @Test("invalid kind", arguments: [0, 3, 255] as [UInt8])
    func invalidKind(kind: UInt8) {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: [0, 0, 0, 8, 0, 0, 0, 1, kind, 0, 0, 0])
        #expect(frameError(&decoder) == .invalidKind(kind))
        #expect(frameError(&decoder)?.description == "frame kind \(kind) is invalid: expected 1 (request) or 2 (reply)")
    }

    @Test("nonzero flags", arguments: [1, 0x80, 255] as [UInt8])
    func nonzeroFlags(flags: UInt8) {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: [0, 0, 0, 8, 0, 0, 0, 1, 1, 0, 0, flags])
        #expect(frameError(&decoder) == .invalidFlags(flags))
        #expect(
            frameError(&decoder)?.description
                == "frame flags \(flags) are invalid: the flags byte is reserved and must be 0")
    }

    @Test("header is checked before the body arrives")
    func headerCheckedBeforeBody() {
        var decoder = FrameDecoder()
        // A valid length of 100, then kind 9: the error comes with no body byte buffered.
        decoder.append(contentsOf: [0, 0, 0, 100, 0, 0, 0, 1, 9, 0, 0, 0])
        #expect(frameError(&decoder) == .invalidKind(9))
    }

    @Test("partial header returns nil")
    func partialHeader() throws {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: [0, 0])
        #expect(try decoder.nextFrame() == nil)
        decoder.append(contentsOf: [0, 8, 0, 0, 0])
        #expect(try decoder.nextFrame() == nil)
        #expect(decoder.bufferedByteCount == 7)
    }

    @Test("zero-length payload frame")
    func zeroLengthPayload() throws {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: [0, 0, 0, 8, 0, 0, 0, 42, 2, 4, 0, 0])
        let frame = try decoder.nextFrame()
        #expect(frame == Frame(requestID: 42, kind: .reply, method: .getQuota, status: .ok, payload: []))
        #expect(try decoder.nextFrame() == nil)
    }

    @Test("unknown method and status bytes")
    func unknownMethodAndStatus() throws {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: [0, 0, 0, 9, 0, 0, 1, 0, 2, 77, 99, 0, 0x41])
        let frame = try #require(try decoder.nextFrame())
        #expect(frame.requestID == 256)
        #expect(frame.method == 77)
        #expect(frame.knownMethod == nil)
        #expect(frame.status == .unknown)
        #expect(frame.payload == [0x41])
    }
}
