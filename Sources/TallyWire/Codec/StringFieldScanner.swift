import CProtobufC

/// Walks protobuf wire data with a protobuf-c descriptor to find string fields that contain U+0000.
///
/// Structural errors end the walk without an error, because the unpack that follows reports them.
/// The recursion follows only sub-message fields that the descriptor defines, so its depth is bounded
/// by the schema's nesting rather than by the input.
enum StringFieldScanner {
    static func findNUL(
        in bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>
    ) -> WireError? {
        var index = 0
        while index < bytes.count {
            guard let key = WireVarint.read(bytes, &index) else {
                return nil
            }
            let fieldNumber = key >> 3
            switch key & 7 {
            case 0:
                guard WireVarint.read(bytes, &index) != nil else {
                    return nil
                }
            case 1:
                index += 8
            case 5:
                index += 4
            case 2:
                guard let length = WireVarint.read(bytes, &index), length <= UInt64(bytes.count - index) else {
                    return nil
                }
                let value = UnsafeRawBufferPointer(rebasing: bytes[index..<(index + Int(length))])
                index += Int(length)
                if let error = checkField(fieldNumber, value: value, descriptor: descriptor) {
                    return error
                }
            default:
                return nil
            }
        }
        return nil
    }

    private static func checkField(
        _ fieldNumber: UInt64, value: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>
    ) -> WireError? {
        guard let number = UInt32(exactly: fieldNumber),
            let field = protobuf_c_message_descriptor_get_field(descriptor, number)
        else {
            return nil
        }
        if field.pointee.type == PROTOBUF_C_TYPE_STRING {
            guard value.contains(0) else {
                return nil
            }
            let messageName = String(cString: descriptor.pointee.short_name)
            let fieldName = String(cString: field.pointee.name)
            return WireError(
                message: "\(messageName).\(fieldName) contains the NUL character (U+0000), which strings must not contain")
        }
        if field.pointee.type == PROTOBUF_C_TYPE_MESSAGE, let nested = field.pointee.descriptor {
            let nestedDescriptor = nested.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
            return findNUL(in: value, descriptor: nestedDescriptor)
        }
        return nil
    }
}
