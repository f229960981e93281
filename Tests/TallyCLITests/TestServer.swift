import Foundation

/// A tallyd child process on a free loopback port, with a configuration that
/// has one small plan, an admin key and the account "acme" in Europe/Berlin,
/// and its clock fixed at `fixedNowMs`.
final class TestServer {
    let root: URL
    let apiKey: String
    private(set) var address = ""
    private let process = Process()

    /// Caps small enough that the sample data reaches two of them.
    static let configTemplate = """
    {"plans": {"small": {"tokens": 5000, "decisions": 50, "sessions": 3}, "unlimited": {}},
     "accounts": {"acme": {"plan": "small", "time_zone": "Europe/Berlin", "notification_thresholds": [75, 90, 100]},
                  "lab": {"plan": "unlimited", "time_zone": "Europe/Berlin"}},
     "keys": [KEY_ENTRY]}
    """

    /// Starts tallyd with `serverArguments` added to its command line.
    init(serverArguments: [String] = []) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tally-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let key = try run(CLIPaths.tally, ["keys", "new", "--role", "admin", "--json"])
        guard key.status == 0,
              let json = try JSONSerialization.jsonObject(with: Data(key.stdout.utf8)) as? [String: Any],
              let apiKey = json["api_key"] as? String, let entry = json["config_entry"] else {
            throw HarnessFailure(description: "tally keys new failed: \(key.stderr)")
        }
        self.apiKey = apiKey
        let entryText = String(decoding: try JSONSerialization.data(withJSONObject: entry), as: UTF8.self)
        let config = root.appendingPathComponent("config.json")
        try Data(Self.configTemplate.replacingOccurrences(of: "KEY_ENTRY", with: entryText).utf8).write(to: config)

        let readyFile = root.appendingPathComponent("ready")
        let log = root.appendingPathComponent("tallyd.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = CLIPaths.tallyd
        process.arguments = ["--listen", "127.0.0.1:0", "--data-dir", root.appendingPathComponent("data").path,
                             "--ready-file", readyFile.path, "--config", config.path] + serverArguments
        var environment = ProcessInfo.processInfo.environment
        environment["TALLY_TEST_NOW_MS"] = fixedNowMs
        process.environment = environment
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let text = try? String(contentsOf: readyFile, encoding: .utf8), text.hasSuffix("\n") {
                address = text.trimmingCharacters(in: .whitespacesAndNewlines)
                return
            }
            guard process.isRunning else {
                throw HarnessFailure(description: "tallyd exited with status \(process.terminationStatus)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw HarnessFailure(description: "tallyd did not report its address within 30 s")
    }

    /// Runs `tally` against this server with its admin key.
    func tally(_ arguments: [String], terminal: Bool = false, color: Bool = false) throws -> Output {
        try TallyCLITests.tally(arguments, server: address, apiKey: apiKey, terminal: terminal, color: color)
    }

    /// Writes `text` to a file in this server's directory and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A server holding the sample records of account "acme", imported with `tally import`.
    static func withSample(serverArguments: [String] = []) throws -> TestServer {
        let server = try TestServer(serverArguments: serverArguments)
        let path = try server.file("usage.csv", SampleData.csv)
        let result = try server.tally(["import", path, "--account", "acme", "--json"])
        guard result.status == 0 else {
            throw HarnessFailure(description: "import of the sample failed: \(result.stderr)")
        }
        return server
    }

    /// Stops tallyd and waits for it, so that its address refuses connections.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: root)
    }
}

/// The sample usage of the tests and of the tour: five actions in three
/// sessions over a week; the fifth passes the 5,000-token cap and is rejected.
enum SampleData {
    static let csv = """
    timestamp,session_id,input_tokens,output_tokens
    2025-12-01T09:00:00Z,build-42,1200,340
    2025-12-01T09:05:00Z,build-42,800,210
    2025-12-02T14:30:00Z,review-7,450,900
    2025-12-03T08:15:00Z,agent-research-2025-12-03-long-session-identifier,2100,150
    2025-12-05T17:45:00Z,build-43,300,120

    """
}
