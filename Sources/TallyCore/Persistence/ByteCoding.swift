/// Little-endian encoding helpers for the log, snapshots and page tokens.
enum ByteWriter {
    static func appendInteger<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a string as its UTF-8 length (UInt16) followed by the bytes.
    static func appendString(_ value: String, to bytes: inout [UInt8]) {
        let utf8 = Array(value.utf8)
        appendInteger(UInt16(utf8.count), to: &bytes)
        bytes.append(contentsOf: utf8)
    }
}

/// A decoding failure: the data ended early or contained an invalid value.
struct ByteReaderError: Error {
    var message: String
}

/// Reads little-endian values from a byte array.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func readInteger<T: FixedWidthInteger>(_ type: T.Type) throws(ByteReaderError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw ByteReaderError(message: "needed \(size) bytes at offset \(offset), \(remaining) left")
        }
        var value: T = 0
        for index in 0 ..< size {
            value |= T(truncatingIfNeeded: bytes[offset + index]) << (8 * index)
        }
        offset += size
        return value
    }

    mutating func readString() throws(ByteReaderError) -> String {
        let length = Int(try readInteger(UInt16.self))
        guard remaining >= length else {
            throw ByteReaderError(message: "string of \(length) bytes at offset \(offset) runs past the end")
        }
        let slice = bytes[offset ..< offset + length]
        offset += length
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw ByteReaderError(message: "invalid UTF-8 at offset \(offset - length)")
        }
        return text
    }
}
