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

    /// Appends a record without placing it in `byTime`; `rebuildTimeIndex()` must run before queries.
    @inline(__always)
    mutating func appendUnindexed(timestamp: Int64, input: UInt32, output: UInt32, decisions count: UInt32, session: UInt32, eventID: UnsafeRawBufferPointer) {
        timestamps.append(timestamp)
        inputTokens.append(input)
        outputTokens.append(output)
        decisions.append(count)
        sessions.append(session)
        if !eventID.isEmpty {
            eventBytes.append(contentsOf: eventID)
        }
        eventOffsets.append(eventBytes.count)
    }

    /// Copies the event id bytes into an array of exactly their size when growth left over an eighth unused.
    ///
    /// The other columns are reserved exactly before a bulk load; the event id bytes are not, because
    /// their total is known only after reading every record.
    mutating func releaseEventSlack() {
        let count = eventBytes.count
        guard eventBytes.capacity - count > count / 8 else { return }
        eventBytes = eventBytes.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: count) { target, initialized in
                _ = target.initialize(fromContentsOf: source)
                initialized = count
            }
        }
    }

    /// Rebuilds `byTime` from the timestamps: the identity when they are already in order, else a sort.
    mutating func rebuildTimeIndex() {
        let count = timestamps.count
        byTime.removeAll(keepingCapacity: true)
        byTime.reserveCapacity(count)
        var ordered = true
        timestamps.withUnsafeBufferPointer { times in
            for index in 0 ..< count {
                if index > 0 && times[index] < times[index - 1] {
                    ordered = false
                }
                byTime.append(UInt32(truncatingIfNeeded: index))
            }
            if !ordered {
                byTime.sort { left, right in
                    let leftTime = times[Int(left)]
                    let rightTime = times[Int(right)]
                    return leftTime != rightTime ? leftTime < rightTime : left < right
                }
            }
        }
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

    /// Reserves room for `capacity` records in total and `eventCapacity` event id bytes.
    mutating func reserve(_ capacity: Int, eventCapacity: Int = 0) {
        if eventCapacity > eventBytes.capacity {
            eventBytes.reserveCapacity(eventCapacity)
        }
        timestamps.reserveCapacity(capacity)
        inputTokens.reserveCapacity(capacity)
        outputTokens.reserveCapacity(capacity)
        decisions.reserveCapacity(capacity)
        sessions.reserveCapacity(capacity)
        eventOffsets.reserveCapacity(capacity + 1)
        byTime.reserveCapacity(capacity)
    }
}
