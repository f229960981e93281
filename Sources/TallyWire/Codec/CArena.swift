import CProtobufC

/// A bump allocator for the C structs and strings of one pack or unpack call.
///
/// Memory comes from a chain of chunks, each starting with a pointer to the previous chunk, and is
/// released all at once by `releaseAll()`. Individual frees are no-ops, so protobuf-c's per-field
/// allocations and the encoder's C strings cost a pointer bump instead of a `malloc` and a `free`.
struct CArena {
    private static let chunkHeaderSize = 16
    private static let maxChunkSize = 1 << 20

    private var lastChunk: UnsafeMutableRawPointer?
    private var cursor = 0
    private var end = 0
    private var nextChunkSize: Int

    init(initialCapacity: Int) {
        nextChunkSize = min(max(initialCapacity, 1024), Self.maxChunkSize)
    }

    /// Returns uninitialized memory that stays valid until `releaseAll()`.
    mutating func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        let alignedCursor = (cursor + alignment - 1) & ~(alignment - 1)
        if let chunk = lastChunk, alignedCursor + byteCount <= end {
            cursor = alignedCursor + byteCount
            return chunk + alignedCursor
        }
        let chunkSize = max(nextChunkSize, Self.chunkHeaderSize + byteCount + alignment)
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
        chunk.storeBytes(of: lastChunk, as: UnsafeMutableRawPointer?.self)
        lastChunk = chunk
        nextChunkSize = min(nextChunkSize * 2, Self.maxChunkSize)
        let start = (Self.chunkHeaderSize + alignment - 1) & ~(alignment - 1)
        cursor = start + byteCount
        end = chunkSize
        return chunk + start
    }

    /// Frees every chunk; pointers handed out before become invalid.
    mutating func releaseAll() {
        while let chunk = lastChunk {
            lastChunk = chunk.load(as: UnsafeMutableRawPointer?.self)
            chunk.deallocate()
        }
        cursor = 0
        end = 0
    }

    /// Allocates a protobuf-c message struct and lets `initialize` (the generated `__init`) fill it in.
    mutating func message<C>(
        _ type: C.Type, _ initialize: (UnsafeMutablePointer<C>) -> Void
    ) -> UnsafeMutablePointer<C> {
        let raw = allocate(byteCount: MemoryLayout<C>.stride, alignment: MemoryLayout<C>.alignment)
        let pointer = raw.bindMemory(to: C.self, capacity: 1)
        initialize(pointer)
        return pointer
    }

    /// Copies a string into the arena as a NUL-terminated C string.
    ///
    /// NOTE: protobuf-c measures strings with strlen, so a string containing U+0000 is sent cut off at it.
    /// The decoder rejects such strings, so values that came off the wire never contain one.
    mutating func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = string.utf8
        let count = utf8.count
        let raw = allocate(byteCount: count + 1, alignment: 1)
        let bytes = raw.bindMemory(to: UInt8.self, capacity: count + 1)
        let copied = utf8.withContiguousStorageIfAvailable { source -> Bool in
            if let base = source.baseAddress {
                bytes.update(from: base, count: count)
            }
            return true
        }
        if copied == nil {
            var index = 0
            for byte in utf8 {
                bytes[index] = byte
                index += 1
            }
        }
        bytes[count] = 0
        return raw.bindMemory(to: CChar.self, capacity: count + 1)
    }

    /// Builds the C pointer array of a repeated message field; `nil` for an empty array.
    mutating func repeated<Element: CMessageConvertible>(
        _ elements: [Element]
    ) -> UnsafeMutablePointer<UnsafeMutablePointer<Element.CMessage>?>? {
        if elements.isEmpty {
            return nil
        }
        typealias Slot = UnsafeMutablePointer<Element.CMessage>?
        let raw = allocate(
            byteCount: MemoryLayout<Slot>.stride * elements.count, alignment: MemoryLayout<Slot>.alignment)
        let slots = raw.bindMemory(to: Slot.self, capacity: elements.count)
        for index in elements.indices {
            (slots + index).initialize(to: elements[index].makeCMessage(in: &self))
        }
        return slots
    }
}
