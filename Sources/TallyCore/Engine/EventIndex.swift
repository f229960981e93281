import CTallySystem

/// Open-addressing hash set of record indexes keyed by event id bytes.
///
/// The keys live in the account's event id arena, so a slot costs 4 bytes instead of a String per entry.
/// A slot stores record index + 1; 0 marks an empty slot.
struct EventIndex {
    private var slots: [UInt32] = Array(repeating: 0, count: 16)
    private(set) var count = 0

    static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        Int(tally_crc32c(0, bytes.baseAddress, bytes.count))
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
