/// Open-addressing hash set of record indexes keyed by event id bytes.
///
/// The keys live in the account's event id arena, so a slot costs 4 bytes instead of a String per entry.
/// A slot stores record index + 1; 0 marks an empty slot.
struct EventIndex {
    private var slots: [UInt32] = Array(repeating: 0, count: 16)
    private(set) var count = 0

    init() {}

    /// Builds the index of every record with an event id, sized so that no insert grows it.
    init(columns: RecordColumns) {
        var nonEmpty = 0
        for index in 0 ..< columns.count where columns.eventOffsets[index + 1] > columns.eventOffsets[index] {
            nonEmpty += 1
        }
        var size = 16
        while (nonEmpty + 1) * 10 > size * 7 {
            size *= 2
        }
        slots = Array(repeating: 0, count: size)
        columns.eventBytes.withUnsafeBytes { bytes in
            columns.eventOffsets.withUnsafeBufferPointer { offsets in
                for index in 0 ..< columns.count where offsets[index + 1] > offsets[index] {
                    let key = UnsafeRawBufferPointer(rebasing: bytes[offsets[index] ..< offsets[index + 1]])
                    place(hash: Self.hash(key), value: UInt32(index + 1))
                }
            }
        }
        count = nonEmpty
    }

    /// Hashes event id bytes eight at a time with a multiply-xorshift mix; not stored, so it may change.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            state = (state ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            state ^= state >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        state = (state ^ tail) &* 0x94D0_49BB_1331_11EB
        state ^= state >> 31
        return Int(truncatingIfNeeded: state)
    }

    /// Returns the record index whose event id equals `key`; `keyOf` returns a record's event id bytes.
    func find(_ key: UnsafeRawBufferPointer, keyOf: (Int) -> ArraySlice<UInt8>) -> Int? {
        let mask = slots.count - 1
        var position = Self.hash(key) & mask
        while true {
            let slot = slots[position]
            if slot == 0 { return nil }
            let candidate = Int(slot - 1)
            if keyOf(candidate).elementsEqual(key) { return candidate }
            position = (position + 1) & mask
        }
    }

    /// Inserts `recordIndex` whose event id is `key`; the caller has checked it is absent.
    mutating func insert(_ key: UnsafeRawBufferPointer, recordIndex: Int, keyOf: (Int) -> ArraySlice<UInt8>) {
        if (count + 1) * 10 > slots.count * 7 {
            grow(keyOf: keyOf)
        }
        place(hash: Self.hash(key), value: UInt32(recordIndex + 1))
        count += 1
    }

    private mutating func place(hash: Int, value: UInt32) {
        let mask = slots.count - 1
        var position = hash & mask
        while slots[position] != 0 {
            position = (position + 1) & mask
        }
        slots[position] = value
    }

    private mutating func grow(keyOf: (Int) -> ArraySlice<UInt8>) {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        for value in old where value != 0 {
            let key = keyOf(Int(value - 1))
            let hash = key.withUnsafeBytes { Self.hash($0) }
            place(hash: hash, value: value)
        }
    }
}
