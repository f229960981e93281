/// Reads little-endian values from raw memory with one bounds check per value; the load paths use it.
struct RawReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    @inline(__always)
    mutating func read<T: FixedWidthInteger>(_ type: T.Type) throws(ByteReaderError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw ByteReaderError(message: "needed \(size) bytes at offset \(offset), \(remaining) left")
        }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    /// Reads a u16 length and returns the bytes that follow, without copying them.
    @inline(__always)
    mutating func readBytes() throws(ByteReaderError) -> UnsafeRawBufferPointer {
        let length = Int(try read(UInt16.self))
        guard remaining >= length else {
            throw ByteReaderError(message: "string of \(length) bytes at offset \(offset) runs past the end")
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + length])
        offset += length
        return slice
    }

    /// Reads a u16 length and that many bytes as a String, rejecting invalid UTF-8.
    mutating func readString() throws(ByteReaderError) -> String {
        let start = offset + 2
        let slice = try readBytes()
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw ByteReaderError(message: "invalid UTF-8 at offset \(start)")
        }
        return text
    }
}
