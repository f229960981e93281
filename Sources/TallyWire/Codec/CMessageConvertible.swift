import CProtobufC

/// A Swift message struct that converts to and from its protobuf-c struct.
protocol CMessageConvertible {
    associatedtype CMessage

    /// Copies an unpacked C message into Swift values, validating every string.
    init(cMessage: UnsafePointer<CMessage>) throws(WireError)

    /// Builds the C message in `arena`; strings and sub-messages live in the arena too.
    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<CMessage>
}

extension CMessageConvertible {
    /// Copies a repeated message field out of its C pointer array.
    static func decodeRepeated(
        _ slots: UnsafeMutablePointer<UnsafeMutablePointer<CMessage>?>?, count: Int
    ) throws(WireError) -> [Self] {
        guard let slots, count > 0 else {
            return []
        }
        var result: [Self] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let element = slots[index] else {
                throw WireError(message: "missing element \(index) of a repeated \(Self.self) field")
            }
            result.append(try Self(cMessage: element))
        }
        return result
    }
}
