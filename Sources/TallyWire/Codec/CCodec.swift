import CProtobufC
import Glibc

/// The shared pack and unpack steps of every `WireMessage`.
enum CCodec {
    typealias Unpack<C> = (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<C>?
    typealias PackedSize<C> = (UnsafePointer<C>?) -> Int
    typealias Pack<C> = (UnsafePointer<C>?, UnsafeMutablePointer<UInt8>?) -> Int

    /// Decodes `bytes` with the generated `unpack` function into an arena, then copies the result into Swift.
    ///
    /// The size check comes first because protobuf-c 1.4.1 limits neither message size nor allocations.
    /// A payload large enough to hold more than `WireProtocol.maxElementsPerMessage` sub-messages and
    /// unknown fields is counted next, because protobuf-c allocates a structure for each. A payload
    /// that contains a zero byte is scanned for U+0000 in string fields, because protobuf-c stores
    /// strings NUL-terminated and would otherwise cut such a string short without an error.
    static func decode<Message: CMessageConvertible>(
        _ bytes: UnsafeRawBufferPointer,
        as type: Message.Type,
        name: StaticString,
        unpack: Unpack<Message.CMessage>,
        initialize: (UnsafeMutablePointer<Message.CMessage>?) -> Void
    ) throws(WireError) -> Message {
        if bytes.count > WireProtocol.maxPayloadBytes {
            throw WireError(
                message: "\(name) payload of \(bytes.count) bytes is over the maximum of \(WireProtocol.maxPayloadBytes) bytes")
        }
        // Each element takes at least two bytes: a key and a length or value.
        if bytes.count / 2 > WireProtocol.maxElementsPerMessage, let descriptor = descriptor(initialize) {
            let counted = ElementCounter.count(in: bytes, descriptor: descriptor, limit: WireProtocol.maxElementsPerMessage)
            if counted > WireProtocol.maxElementsPerMessage {
                throw WireError(
                    message: "\(name) payload has over \(WireProtocol.maxElementsPerMessage) sub-messages and unknown fields, the maximum")
            }
        }
        if bytes.contains(0), let descriptor = descriptor(initialize),
           let error = StringFieldScanner.findNUL(in: bytes, descriptor: descriptor) {
            throw error
        }

        var arena = CArena(initialCapacity: bytes.count * 4)
        defer { arena.releaseAll() }
        let empty: UInt8 = 0
        return try withUnsafeMutablePointer(to: &arena) { (arenaPointer) throws(WireError) -> Message in
            var allocator = ProtobufCAllocator(
                alloc: { data, size in
                    data!.assumingMemoryBound(to: CArena.self).pointee.allocate(byteCount: max(size, 1), alignment: 16)
                },
                free: { _, _ in },
                allocator_data: UnsafeMutableRawPointer(arenaPointer))
            let unpacked = withUnsafePointer(to: empty) { emptyPointer in
                let data = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? emptyPointer
                return unpack(&allocator, bytes.count, data)
            }
            guard let unpacked else {
                throw WireError(message: "malformed \(name) payload (\(bytes.count) bytes)")
            }
            // The arena owns every allocation, so releasing it replaces __free_unpacked.
            return try Message(cMessage: unpacked)
        }
    }

    /// Encodes a message by building its C struct in an arena and calling the generated pack functions.
    static func encode<Message: CMessageConvertible>(
        _ message: Message,
        packedSize: PackedSize<Message.CMessage>,
        pack: Pack<Message.CMessage>
    ) -> [UInt8] {
        var arena = CArena(initialCapacity: 4096)
        defer { arena.releaseAll() }
        let cMessage = message.makeCMessage(in: &arena)
        let size = packedSize(cMessage)
        if size == 0 {
            return []
        }
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initializedCount in
            initializedCount = pack(cMessage, buffer.baseAddress)
        }
    }

    /// Copies a C string into a Swift string, rejecting invalid UTF-8 with the message and field name.
    @inline(__always)
    static func string(
        _ pointer: UnsafePointer<CChar>?, message: StaticString, field: StaticString
    ) throws(WireError) -> String {
        guard let pointer, pointer.pointee != 0 else {
            return ""
        }
        let count = strlen(pointer)
        let bytes = UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self)
        let source = UnsafeBufferPointer(start: bytes, count: count)
        // String(decoding:) replaces invalid sequences with U+FFFD, and its output is always valid UTF-8,
        // so the input was valid exactly when the output has the same bytes.
        var string = String(decoding: source, as: UTF8.self)
        let unchanged = string.withUTF8 { decoded in
            decoded.count == count && memcmp(decoded.baseAddress!, bytes, count) == 0
        }
        guard unchanged else {
            throw WireError(message: "invalid UTF-8 in \(message).\(field)")
        }
        return string
    }

    /// Converts protobuf-c's boolean.
    @inline(__always)
    static func bool(_ value: protobuf_c_boolean) -> Bool { value != 0 }

    /// Converts to protobuf-c's boolean.
    @inline(__always)
    static func cBool(_ value: Bool) -> protobuf_c_boolean { value ? 1 : 0 }

    /// Returns the message's descriptor, which the generated __init stores in base.descriptor.
    private static func descriptor<C>(
        _ initialize: (UnsafeMutablePointer<C>?) -> Void
    ) -> UnsafePointer<ProtobufCMessageDescriptor>? {
        let scratch = UnsafeMutablePointer<C>.allocate(capacity: 1)
        defer { scratch.deallocate() }
        initialize(scratch)
        return UnsafeRawPointer(scratch).load(as: ProtobufCMessage.self).descriptor
    }
}
