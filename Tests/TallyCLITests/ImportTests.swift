import Foundation
import Testing

@Suite("Import")
struct ImportTests {
    @Test("import report in plain mode")
    func plain() throws {
        let server = try TestServer()
        let path = try server.file("usage.csv", SampleData.csv)
        let result = try server.tally(["import", path, "--account", "acme"])
        let text = result.transcript(["import", "usage.csv", "--account", "acme"]).replacingOccurrences(of: path, with: "usage.csv")
        try expectGolden(text, "import-plain.txt")
    }

    @Test("import progress bar on a terminal")
    func progress() throws {
        let server = try TestServer()
        let path = try server.file("usage.csv", SampleData.csv)
        let arguments = ["import", path, "--account", "acme", "--batch-size", "2"]
        let result = try server.tally(arguments, terminal: true)
        // The clock is fixed, so the rate is unknown and the elapsed time is zero.
        #expect(result.stderr.hasSuffix("100%  5 / 5 rows  - rows/s  done in 0.0 s\u{1B}[K\n"), "\(result.stderr)")
        let text = result.transcript(["import", "usage.csv", "--account", "acme", "--batch-size", "2"], environment: "NO_COLOR=1 ")
            .replacingOccurrences(of: path, with: "usage.csv")
            .replacingOccurrences(of: "\u{1B}[K", with: "")
            .replacingOccurrences(of: "[stderr]\n\r", with: "[stderr]\n")
            .replacingOccurrences(of: "\r", with: "\n")
        try expectGolden(text, "import-terminal.txt")
    }

    @Test("import batches follow a lower server batch maximum")
    func lowerServerBatchMaximum() throws {
        let server = try TestServer(serverArguments: ["--max-batch-records", "2"])
        let path = try server.file("usage.csv", SampleData.csv)
        let result = try server.tally(["import", path, "--account", "lab", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(report?["accepted"] as? Int == 5)
        let summary = try server.tally(["summary", "--account", "lab", "--json"])
        let figures = try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any]
        #expect(figures?["records"] as? Int == 5)
    }

    @Test("import shows no progress with --no-progress or --json")
    func noProgress() throws {
        let server = try TestServer()
        let path = try server.file("usage.csv", SampleData.csv)
        let quiet = try server.tally(["import", path, "--account", "lab", "--no-progress"], terminal: true)
        #expect(quiet.status == 0)
        #expect(quiet.stderr == "")
        let json = try server.tally(["import", path, "--account", "lab", "--json"], terminal: true)
        #expect(json.status == 0)
        #expect(json.stderr == "")
    }

    @Test("import JSON keeps its keys")
    func json() throws {
        let server = try TestServer()
        let path = try server.file("usage.csv", SampleData.csv)
        let result = try server.tally(["import", path, "--account", "acme", "--json"])
        let text = result.transcript(["import", "usage.csv", "--account", "acme", "--json"]).replacingOccurrences(of: path, with: "usage.csv")
        try expectGolden(text, "import-json.txt")
    }
}
