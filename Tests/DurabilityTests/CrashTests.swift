import Foundation
import Testing

@Suite("Crash recovery of tallyd")
struct CrashTests {
    /// Cycles to run: TALLY_CRASH_CYCLES, or 24 by default.
    static var cycles: Int {
        ProcessInfo.processInfo.environment["TALLY_CRASH_CYCLES"].flatMap(Int.init) ?? 24
    }

    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["TALLY_CRASH_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1 ... UInt64.max)
    }

    @Test("acknowledged records survive kill -9, exactly once")
    func acknowledgedRecordsSurviveKill() async throws {
        let seed = Self.seed
        let runner = CrashRunner(cycles: Self.cycles, seed: seed)
        let (summary, problems) = try await runner.run()
        print("crash test (TALLY_CRASH_SEED=\(seed)): \(summary)")
        #expect(problems == [], "TALLY_CRASH_SEED=\(seed)")
        #expect(summary.cycles == Self.cycles)
        #expect(summary.counts.acknowledged > 0)
        #expect(summary.recordChecks >= summary.counts.acknowledged)
    }
}
