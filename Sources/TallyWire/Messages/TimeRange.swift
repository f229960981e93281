import CProtobufC
import CTallyProto

/// A time range: a preset, or explicit `[startMs, endMs)` when the preset is `.unspecified`.
public struct TimeRange: Sendable, Equatable {
    /// The preset; `.unspecified` selects the explicit bounds.
    public var preset: Preset
    /// Inclusive start, used when `preset` is `.unspecified`.
    public var startMs: Int64
    /// Exclusive end, used when `preset` is `.unspecified`.
    public var endMs: Int64
    /// IANA time zone name for local midnight; empty means UTC.
    public var timeZone: String

    public init(
        preset: Preset = .unspecified,
        startMs: Int64 = 0,
        endMs: Int64 = 0,
        timeZone: String = ""
    ) {
        self.preset = preset
        self.startMs = startMs
        self.endMs = endMs
        self.timeZone = timeZone
    }
}

extension TimeRange: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__TimeRange>) throws(WireError) {
        let source = cMessage.pointee
        preset = Preset(protoValue: Int32(bitPattern: source.preset.rawValue))
        startMs = source.start_ms
        endMs = source.end_ms
        timeZone = try CCodec.string(source.time_zone, message: "TimeRange", field: "time_zone")
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__TimeRange> {
        let target = arena.message(Tally__V1__TimeRange.self, tally__v1__time_range__init)
        target.pointee.preset = Tally__V1__Preset(rawValue: UInt32(bitPattern: preset.protoValue))
        target.pointee.start_ms = startMs
        target.pointee.end_ms = endMs
        target.pointee.time_zone = arena.cString(timeZone)
        return target
    }
}

extension TimeRange: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: TimeRange.self, name: "TimeRange",
            unpack: tally__v1__time_range__unpack, initialize: tally__v1__time_range__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__time_range__get_packed_size, pack: tally__v1__time_range__pack)
    }
}
