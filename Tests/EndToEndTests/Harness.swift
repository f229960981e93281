import Foundation
import Testing

/// Paths of the package, its built binaries and the test data.
enum Paths {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The directory holding `tallyd` and `tally`: beside the test bundle when
    /// they were built there, else `.build/debug`.
    static let binaries: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [beside, beside.deletingLastPathComponent(), packageRoot.appendingPathComponent(".build/debug")]
        where FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("tallyd").path) {
            return candidate
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }()

    static let traces = packageRoot.appendingPathComponent("Tests/Data/azure-llm-2023")
    static let codeTrace = traces.appendingPathComponent("AzureLLMInferenceTrace_code.csv")
    static let convTrace = traces.appendingPathComponent("AzureLLMInferenceTrace_conv.csv")
    static let expectedFigures = packageRoot.appendingPathComponent("Tests/EndToEndTests/expected_figures.py")
}

/// The result of running a command to completion.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Standard output parsed as a JSON object.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        guard let dictionary = object as? [String: Any] else {
            throw HarnessError("stdout is not a JSON object: \(stdout.prefix(300))")
        }
        return dictionary
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Runs `executable` with `arguments` and waits for it.
func runCommand(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment
    merged.removeValue(forKey: "TALLY_SERVER")
    merged.removeValue(forKey: "TALLY_API_KEY")
    for (key, value) in environment { merged[key] = value }
    process.environment = merged
    let stdoutFile = FileManager.default.temporaryDirectory.appendingPathComponent("tally-out-\(UUID().uuidString)")
    let stderrFile = FileManager.default.temporaryDirectory.appendingPathComponent("tally-err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
    _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: stdoutFile)
        try? FileManager.default.removeItem(at: stderrFile)
    }
    process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
    process.standardError = try FileHandle(forWritingTo: stderrFile)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus,
        stdout: (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
    )
}

/// A tallyd child process on a free loopback port with its own data directory.
final class ServerProcess {
    let dataDirectory: URL
    let configPath: URL?
    private(set) var address = ""
    private var process: Process?
    private let logFile: URL
    private let extraArguments: [String]

    init(configJSON: String? = nil, extraArguments: [String] = []) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tally-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        dataDirectory = root.appendingPathComponent("data")
        logFile = root.appendingPathComponent("tallyd.log")
        self.extraArguments = extraArguments
        if let configJSON {
            let path = root.appendingPathComponent("config.json")
            try Data(configJSON.utf8).write(to: path)
            configPath = path
        } else {
            configPath = nil
        }
        try start()
    }

    /// Starts tallyd and waits until it reports its address.
    func start() throws {
        let readyFile = dataDirectory.deletingLastPathComponent().appendingPathComponent("ready-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = Paths.binaries.appendingPathComponent("tallyd")
        var arguments = ["--listen", "127.0.0.1:0", "--data-dir", dataDirectory.path, "--ready-file", readyFile.path]
        if let configPath { arguments += ["--config", configPath.path] }
        process.arguments = arguments + extraArguments
        if !FileManager.default.fileExists(atPath: logFile.path) {
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logFile)
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let text = try? String(contentsOf: readyFile, encoding: .utf8), text.hasSuffix("\n") {
                address = text.trimmingCharacters(in: .whitespacesAndNewlines)
                return
            }
            guard process.isRunning else {
                throw HarnessError("tallyd exited with status \(process.terminationStatus): \(self.log())")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw HarnessError("tallyd did not report its address within 30 s: \(self.log())")
    }

    /// Stops tallyd with SIGTERM (a clean stop) or SIGKILL, and waits for it.
    func stop(signal: Int32 = SIGTERM) {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        self.process = nil
    }

    var terminationStatus: Int32? { process.map { $0.isRunning ? nil : $0.terminationStatus } ?? nil }

    func log() -> String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// Runs the `tally` CLI against this server.
    func cli(_ arguments: [String], apiKey: String = "") throws -> CommandResult {
        var environment = ["TALLY_SERVER": address, "TALLY_TIME_ZONE": "UTC"]
        if !apiKey.isEmpty { environment["TALLY_API_KEY"] = apiKey }
        return try runCommand(Paths.binaries.appendingPathComponent("tally"), arguments, environment: environment)
    }

    deinit {
        stop(signal: SIGKILL)
        try? FileManager.default.removeItem(at: dataDirectory.deletingLastPathComponent())
    }
}

/// Runs the independent Python reference on a trace.
func expectedFigures(for trace: URL) throws -> [String: Any] {
    let result = try runCommand(URL(fileURLWithPath: "/usr/bin/env"), ["python3", Paths.expectedFigures.path, trace.path])
    guard result.status == 0 else {
        throw HarnessError("expected_figures.py failed with status \(result.status): \(result.stderr)")
    }
    return try result.json()
}

/// Makes a fresh key and its config entry with `tally keys new`.
func makeKey(role: String = "admin", account: String? = nil) throws -> (key: String, entry: String) {
    var arguments = ["keys", "new", "--role", role, "--json"]
    if let account { arguments += ["--account", account] }
    let result = try runCommand(Paths.binaries.appendingPathComponent("tally"), arguments)
    guard result.status == 0 else { throw HarnessError("tally keys new failed: \(result.stderr)") }
    let json = try result.json()
    let entry = try JSONSerialization.data(withJSONObject: json["config_entry"]!, options: [.sortedKeys])
    return (json["api_key"] as! String, String(decoding: entry, as: UTF8.self))
}

/// Reads a JSON number as UInt64.
func number(_ value: Any?) -> UInt64? {
    (value as? NSNumber)?.uint64Value
}
