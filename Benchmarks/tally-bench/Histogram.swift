/// A log-bucketed latency histogram in the style of HdrHistogram.
///
/// Values (nanoseconds) below 256 get one bucket each. Above that, every power of two is split
/// into 128 equal buckets, so a reported percentile is within 1/128 (under 0.8%) of the true value.
/// Recording is one array increment; histograms of several threads are merged by adding counts.
struct Histogram: Sendable {
    static let subBucketBits = 7
    static let subBucketCount = 1 << subBucketBits
    static let bucketCount = (64 - subBucketBits) * subBucketCount + subBucketCount

    private(set) var counts: [UInt64]
    private(set) var totalCount: UInt64 = 0
    private(set) var maxValue: UInt64 = 0
    private(set) var minValue: UInt64 = .max
    private(set) var sum: Double = 0

    init() {
        counts = [UInt64](repeating: 0, count: Self.bucketCount)
    }

    static func index(of value: UInt64) -> Int {
        let highestBit = 63 - value.leadingZeroBitCount
        if value == 0 || highestBit <= subBucketBits {
            return Int(value)
        }
        let shift = highestBit - subBucketBits
        return (shift + 1) * subBucketCount + Int(value >> UInt64(shift)) - subBucketCount
    }

    /// The largest value that falls into bucket `index`.
    static func highestValue(inBucket index: Int) -> UInt64 {
        if index < 2 * subBucketCount {
            return UInt64(index)
        }
        let shift = index / subBucketCount - 1
        let sub = UInt64(index % subBucketCount + subBucketCount)
        return ((sub + 1) << UInt64(shift)) - 1
    }

    mutating func record(_ value: UInt64) {
        counts[Self.index(of: value)] += 1
        totalCount += 1
        sum += Double(value)
        if value > maxValue { maxValue = value }
        if value < minValue { minValue = value }
    }

    mutating func merge(_ other: Histogram) {
        for index in 0..<counts.count where other.counts[index] != 0 {
            counts[index] += other.counts[index]
        }
        totalCount += other.totalCount
        sum += other.sum
        maxValue = max(maxValue, other.maxValue)
        minValue = min(minValue, other.minValue)
    }

    /// The value at `percentile` (0...100): the top of the bucket holding that rank, capped at the maximum.
    func value(atPercentile percentile: Double) -> UInt64 {
        guard totalCount > 0 else { return 0 }
        let rank = max(1, UInt64((percentile / 100 * Double(totalCount)).rounded(.up)))
        var seen: UInt64 = 0
        for index in 0..<counts.count {
            seen += counts[index]
            if seen >= rank {
                return min(Self.highestValue(inBucket: index), maxValue)
            }
        }
        return maxValue
    }

    var mean: Double { totalCount == 0 ? 0 : sum / Double(totalCount) }
}
