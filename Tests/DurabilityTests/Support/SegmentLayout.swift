import Foundation

/// Positions of the entries in a write-ahead log segment, read with the layout of the on-disk format:
/// a 24-byte header, then per entry a u32 payload length, 13 bytes of sequence and type, the payload and a 4-byte checksum.
struct SegmentLayout {
    struct Entry {
        var offset: Int
        var size: Int
    }

    let entries: [Entry]
    let fileSize: Int

    init(_ path: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: path))
        var entries: [Entry] = []
        var offset = 24
        while offset + 4 <= bytes.count {
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            let size = 17 + length
            guard offset + size <= bytes.count else {
                throw HarnessFailure("entry at offset \(offset) of \(path.path) runs past the end of the file")
            }
            entries.append(Entry(offset: offset, size: size))
            offset += size
        }
        self.entries = entries
        fileSize = bytes.count
    }
}

/// Small file edits that stand in for crashes and disk damage.
enum FileDamage {
    static func truncate(_ path: URL, to length: Int) throws {
        let handle = try FileHandle(forWritingTo: path)
        try handle.truncate(atOffset: UInt64(length))
        try handle.close()
    }

    /// Inverts every bit of the byte at `offset`.
    static func flipByte(_ path: URL, at offset: Int) throws {
        var bytes = [UInt8](try Data(contentsOf: path))
        bytes[offset] ^= 0xFF
        try Data(bytes).write(to: path)
    }

    /// Overwrites the whole file with zeros, keeping its size.
    static func zeroFill(_ path: URL) throws {
        let size = try Data(contentsOf: path).count
        try Data(count: size).write(to: path)
    }
}
