import Foundation

/// Input/output token pairs read from the Azure LLM inference trace CSV files.
struct TraceSizes: Sendable {
    let pairs: [(input: UInt64, output: UInt64)]

    /// Reads every `*.csv` in `directory` (columns TIMESTAMP, ContextTokens, GeneratedTokens).
    static func load(directory: String) throws(UsageError) -> TraceSizes {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".csv") }.sorted()
        } catch {
            throw UsageError("--trace: cannot list \"\(directory)\": \(error.localizedDescription)")
        }
        var pairs: [(input: UInt64, output: UInt64)] = []
        for name in names {
            guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) else {
                throw UsageError("--trace: cannot read \"\(directory)/\(name)\" as UTF-8")
            }
            for line in text.split(whereSeparator: \.isNewline).dropFirst() {
                let fields = line.split(separator: ",")
                guard fields.count == 3, let input = UInt64(fields[1]), let output = UInt64(fields[2].trimmingCharacters(in: .whitespacesAndNewlines))
                else { continue }
                pairs.append((input, output))
            }
        }
        guard !pairs.isEmpty else {
            throw UsageError("--trace: no token pairs found in the .csv files of \"\(directory)\"")
        }
        return TraceSizes(pairs: pairs)
    }
}

/// SplitMix64: a small, fast, seedable generator so that runs are repeatable.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
