/// Constants of version 1 of the native Tally protocol.
public enum WireProtocol {
    /// The protocol version that `HelloRequest.protocolVersion` carries.
    public static let version: UInt32 = 1
    /// The TCP port that servers listen on unless configured otherwise.
    public static let defaultPort: UInt16 = 7600
    /// The default maximum of a frame's length field: 4 MiB.
    public static let defaultMaxFrameLength = 4_194_304
    /// The minimum of a frame's length field: the 8 header bytes that follow it.
    public static let minFrameLength = 8
    /// The largest message payload that the codec decodes; larger payloads fail before protobuf-c parses them.
    public static let maxPayloadBytes = defaultMaxFrameLength
    /// Maximum number of sub-messages and unknown fields, at all levels, in one decoded message.
    /// protobuf-c allocates a structure of tens of bytes for each, so this bounds a decode's memory
    /// to an estimated few tens of megabytes. The largest valid messages, of 10,000 records or
    /// results, stay far below it.
    public static let maxElementsPerMessage = 262_144
}
