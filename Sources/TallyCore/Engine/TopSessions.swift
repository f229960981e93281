/// The `capacity` sessions with the most tokens, largest first and ties by
/// session id, chosen with a bounded heap so a summary over many sessions
/// never sorts them all.
///
/// - Complexity: O(n log capacity) for n offers.
struct TopSessions {
    private let capacity: Int
    private let names: [String]
    /// A min-heap on rank: the root is the weakest session kept so far.
    private var heap: [(total: UInt64, session: UInt32)] = []

    init(capacity: Int, names: [String]) {
        self.capacity = capacity
        self.names = names
        heap.reserveCapacity(min(capacity, 4096))
    }

    /// True when `a` ranks below `b`: fewer tokens, or as many and a later session id.
    private func ranksBelow(_ a: (total: UInt64, session: UInt32), _ b: (total: UInt64, session: UInt32)) -> Bool {
        a.total != b.total ? a.total < b.total : names[Int(a.session)] > names[Int(b.session)]
    }

    mutating func offer(session: UInt32, total: UInt64) {
        guard capacity > 0 else { return }
        let entry = (total: total, session: session)
        if heap.count < capacity {
            heap.append(entry)
            siftUp(heap.count - 1)
        } else if ranksBelow(heap[0], entry) {
            heap[0] = entry
            siftDown(0)
        }
    }

    /// Returns the kept sessions, best first.
    func ranked() -> [UInt32] {
        heap.sorted { ranksBelow($1, $0) }.map(\.session)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard ranksBelow(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, ranksBelow(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, ranksBelow(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
