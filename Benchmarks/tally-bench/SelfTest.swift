import Glibc

/// Compares the histogram's percentiles with exact ones over random samples.
enum SelfTest {
    static func run() -> Bool {
        var random = SplitMix(seed: 7)
        var histogram = Histogram()
        var values: [UInt64] = []
        for _ in 0..<200_000 {
            // Spread over 1 ns ... about 1 s, log-uniformly.
            let exponent = Double(random.below(30_000)) / 1000
            let value = UInt64(exp2(exponent))
            values.append(value)
            histogram.record(value)
        }
        values.sort()
        var passed = true
        for percentile in [50.0, 90, 99, 99.9, 99.99, 100] {
            let rank = max(1, Int((percentile / 100 * Double(values.count)).rounded(.up)))
            let exact = values[rank - 1]
            let estimate = histogram.value(atPercentile: percentile)
            let error = exact == 0 ? 0 : Double(estimate > exact ? estimate - exact : exact - estimate) / Double(exact)
            let ok = estimate >= exact && error <= 1.0 / 128
            passed = passed && ok
            print("p\(percentile): exact \(exact), histogram \(estimate), relative error \(error) \(ok ? "ok" : "FAILED")")
        }
        print(passed ? "selftest: 1 passed, 0 failed" : "selftest: 0 passed, 1 failed")
        return passed
    }
}
