import CProtobufC

/// Counts, with a protobuf-c descriptor, the fields of wire data for which
/// protobuf-c's unpack allocates a structure: sub-message fields at every
/// level and unknown fields.
///
/// protobuf-c allocates tens of bytes for each of them, from as little as two
/// bytes of input, so counting them first bounds a decode's memory. Structural
/// errors end the count, because the unpack that follows reports them. The
/// recursion follows only sub-message fields that the descriptor defines, so
/// its depth is bounded by the schema's nesting.
enum ElementCounter {
    /// Returns the count, or stops early and returns a value over `limit` once it passes it.
    static func count(
        in bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>, limit: Int
    ) -> Int {
        var total = 0
        countFields(in: bytes, descriptor: descriptor, limit: limit, total: &total)
        return total
    }

    private static func countFields(
        in bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>, limit: Int, total: inout Int
    ) {
        var index = 0
        while index < bytes.count, total <= limit {
            guard let key = WireVarint.read(bytes, &index) else { return }
            let field = UInt32(exactly: key >> 3).flatMap { protobuf_c_message_descriptor_get_field(descriptor, $0) }
            if field == nil {
                total += 1
            }
            switch key & 7 {
            case 0:
                guard WireVarint.read(bytes, &index) != nil else { return }
            case 1:
                index += 8
            case 5:
                index += 4
            case 2:
                guard let length = WireVarint.read(bytes, &index), length <= UInt64(bytes.count - index) else { return }
                let value = UnsafeRawBufferPointer(rebasing: bytes[index..<(index + Int(length))])
                index += Int(length)
                if let field, field.pointee.type == PROTOBUF_C_TYPE_MESSAGE, let nested = field.pointee.descriptor {
                    total += 1
                    countFields(in: value, descriptor: nested.assumingMemoryBound(to: ProtobufCMessageDescriptor.self),
                                limit: limit, total: &total)
                }
            default:
                return
            }
        }
    }
}

/// Reads base-128 varints of protobuf wire data.
enum WireVarint {
    /// Returns the varint at `index` and moves past it, or nil when the bytes end first or it has more than 10 bytes.
    static func read(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                return value
            }
            shift += 7
        }
        return nil
    }
}
