/// Records of one account stored column by column in insertion order, plus an index sorted by time.
///
/// Per record: 8 bytes timestamp, 4 x 4 bytes counts and session index, 8 bytes event id offset,
/// 4 bytes in the sorted index, about 6 bytes in the event id hash table, plus the event id bytes.
struct RecordColumns {
    var timestamps: [Int64] = []
    var inputTokens: [UInt32] = []
    var outputTokens: [UInt32] = []
    var decisions: [UInt32] = []
    var sessions: [UInt32] = []
    /// Event id bytes of all records back to back; record i owns eventBytes[eventOffsets[i] ..< eventOffsets[i + 1]].
    var eventBytes: [UInt8] = []
    var eventOffsets: [Int] = [0]
    /// Insertion indexes ordered by (timestamp, insertion index).
    var byTime: [UInt32] = []

    var count: Int { timestamps.count }

    func eventID(_ index: Int) -> ArraySlice<UInt8> {
        eventBytes[eventOffsets[index] ..< eventOffsets[index + 1]]
    }

    func eventString(_ index: Int) -> String {
        String(decoding: eventID(index), as: UTF8.self)
    }

    /// Appends a record and returns its insertion index.
    mutating func append(timestamp: Int64, input: UInt32, output: UInt32, decisions count: UInt32, session: UInt32, eventID: UnsafeRawBufferPointer) -> Int {
        let index = timestamps.count
        timestamps.append(timestamp)
        inputTokens.append(input)
        outputTokens.append(output)
        decisions.append(count)
        sessions.append(session)
        eventBytes.append(contentsOf: eventID)
        eventOffsets.append(eventBytes.count)
        // Fast path: records mostly arrive in time order.
        if let last = byTime.last, timestamps[Int(last)] > timestamp {
            let position = upperBound(timestamp: timestamp, index: UInt32(index))
            byTime.insert(UInt32(index), at: position)
        } else {
            byTime.append(UInt32(index))
        }
        return index
    }

    /// Returns the first position in `byTime` whose key is greater than (timestamp, index).
    func upperBound(timestamp: Int64, index: UInt32) -> Int {
        var low = 0
        var high = byTime.count
        while low < high {
            let middle = (low + high) / 2
            let candidate = byTime[middle]
            let candidateTime = timestamps[Int(candidate)]
            if candidateTime < timestamp || (candidateTime == timestamp && candidate <= index) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    /// Returns the first position in `byTime` whose timestamp is at least `timestamp`.
    func lowerBound(timestamp: Int64) -> Int {
        var low = 0
        var high = byTime.count
        while low < high {
            let middle = (low + high) / 2
            if timestamps[Int(byTime[middle])] < timestamp {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    mutating func reserve(_ capacity: Int) {
        timestamps.reserveCapacity(capacity)
        inputTokens.reserveCapacity(capacity)
        outputTokens.reserveCapacity(capacity)
        decisions.reserveCapacity(capacity)
        sessions.reserveCapacity(capacity)
        eventOffsets.reserveCapacity(capacity + 1)
        byTime.reserveCapacity(capacity)
    }
}
