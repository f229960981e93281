/// A named time range resolved in the request's time zone.
public enum RangePreset: Sendable {
    case today, last7Days, last30Days, allTime
}

/// A time range: a preset, or the explicit half-open range [startMs, endMs) when `preset` is nil.
public struct RangeQuery: Sendable {
    public var preset: RangePreset?
    public var startMs: Int64 = 0
    public var endMs: Int64 = 0
    /// IANA time zone for presets; empty means UTC.
    public var timeZone: String = ""

    public init(preset: RangePreset? = nil, startMs: Int64 = 0, endMs: Int64 = 0, timeZone: String = "") {
        self.preset = preset
        self.startMs = startMs
        self.endMs = endMs
        self.timeZone = timeZone
    }
}
