import Foundation
import Testing

/// Compares `actual` with the file `Expected/<name>`. With
/// `TALLY_UPDATE_GOLDEN=1` in the environment of `swift test`, the file is
/// rewritten instead; review the diff by eye before committing it.
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = CLIPaths.expected.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["TALLY_UPDATE_GOLDEN"] == "1" {
        try Data(actual.utf8).write(to: url)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("missing golden file Expected/\(name); run with TALLY_UPDATE_GOLDEN=1 to write it", sourceLocation: sourceLocation)
        return
    }
    #expect(actual == expected, "output differs from Expected/\(name)", sourceLocation: sourceLocation)
}
