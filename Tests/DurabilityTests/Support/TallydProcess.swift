import Foundation
import Glibc

/// A failure of the test harness itself, with what was expected and what happened.
struct HarnessFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Locations of the built `tallyd` and of the package.
enum BuiltProducts {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `tallyd` beside the test bundle when it was built there, otherwise in `.build/debug`.
    static let tallyd: URL = {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleDirectory, bundleDirectory.deletingLastPathComponent(), packageRoot.appendingPathComponent(".build/debug")]
        for directory in candidates {
            let binary = directory.appendingPathComponent("tallyd")
            if FileManager.default.isExecutableFile(atPath: binary.path) {
                return binary
            }
        }
        return packageRoot.appendingPathComponent(".build/debug/tallyd")
    }()
}

/// The server configuration the durability tests use: three unlimited accounts, one free-plan
/// account with small caps, and one admin key.
struct TestConfiguration {
    static let unlimitedAccounts = ["acct-a", "acct-b", "acct-c"]
    static let freeAccount = "acct-free"
    static let allAccounts = unlimitedAccounts + [freeAccount]
    static let freeTokenCap: UInt64 = 300_000
    static let freeDecisionCap: UInt64 = 600
    static let freeSessionCap: UInt64 = 20
    /// Fixed server clock: 2024-03-20T00:00:00Z. Every record carries a timestamp in March 2024,
    /// so all of them fall into one billing period.
    static let nowMs: Int64 = 1_710_892_800_000
    static let periodStartMs: Int64 = 1_709_251_200_000

    let adminKey: String
    let json: String

    init() throws {
        var bytes = [UInt8](repeating: 0, count: 24)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0 ... 255) }
        adminKey = "tk_" + bytes.map { String(format: "%02x", $0) }.joined()
        let digest = try Self.sha256Hex(adminKey)
        var accounts: [String] = Self.unlimitedAccounts.map { "\"\($0)\": {\"plan\": \"unlimited\"}" }
        accounts.append("\"\(Self.freeAccount)\": {\"plan\": \"free\", \"notification_thresholds\": [50, 100]}")
        json = """
        {"plans": {"free": {"tokens": \(Self.freeTokenCap), "decisions": \(Self.freeDecisionCap), "sessions": \(Self.freeSessionCap)}, "unlimited": {}},
         "accounts": {\(accounts.joined(separator: ", "))},
         "keys": [{"sha256": "\(digest)", "role": "admin", "name": "durability tests"}]}
        """
    }

    /// Returns the SHA-256 of `text` in lowercase hex, computed by coreutils' sha256sum.
    private static func sha256Hex(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let hex = String(decoding: data, as: UTF8.self).prefix(64)
        guard process.terminationStatus == 0, hex.count == 64 else {
            throw HarnessFailure("sha256sum exited with status \(process.terminationStatus) and printed \"\(hex)\"")
        }
        return String(hex)
    }
}

/// One `tallyd` child process after another on the same data directory.
final class TallydProcess {
    let root: URL
    let dataDirectory: URL
    let configPath: URL
    let logPath: URL
    private(set) var address = ""
    private var process: Process?
    /// Byte length of the log file when the current process started, so `currentLog` shows only its output.
    private var logStart: UInt64 = 0

    init(configuration: TestConfiguration, root: URL? = nil) throws {
        let root = root ?? FileManager.default.temporaryDirectory.appendingPathComponent("tally-durability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        self.root = root
        dataDirectory = root.appendingPathComponent("data")
        configPath = root.appendingPathComponent("config.json")
        logPath = root.appendingPathComponent("tallyd.log")
        try Data(configuration.json.utf8).write(to: configPath)
        _ = FileManager.default.createFile(atPath: logPath.path, contents: nil)
    }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: root)
    }

    private func launch(_ extraArguments: [String], readyFile: URL) throws -> Process {
        let process = Process()
        process.executableURL = BuiltProducts.tallyd
        process.arguments = [
            "--listen", "127.0.0.1:0", "--data-dir", dataDirectory.path, "--config", configPath.path,
            "--ready-file", readyFile.path, "--log-level", "info",
        ] + extraArguments
        var environment = ProcessInfo.processInfo.environment
        environment["TALLY_TEST_NOW_MS"] = String(TestConfiguration.nowMs)
        process.environment = environment
        let log = try FileHandle(forWritingTo: logPath)
        logStart = log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Starts tallyd and waits until its ready file names the bound address.
    func start(_ extraArguments: [String] = []) throws {
        let readyFile = root.appendingPathComponent("ready-\(UUID().uuidString)")
        let process = try launch(extraArguments, readyFile: readyFile)
        self.process = process
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let text = try? String(contentsOf: readyFile, encoding: .utf8), text.hasSuffix("\n") {
                address = text.trimmingCharacters(in: .whitespacesAndNewlines)
                try? FileManager.default.removeItem(at: readyFile)
                return
            }
            if !process.isRunning {
                process.waitUntilExit()
                self.process = nil
                throw HarnessFailure("tallyd exited with status \(process.terminationStatus) before it was ready: \(currentLog())")
            }
            usleep(5_000)
        }
        throw HarnessFailure("tallyd did not write its ready file within 60 s: \(currentLog())")
    }

    /// Runs tallyd expecting it to stop on its own (for example because it refuses the data
    /// directory); returns its exit status, or nil if it became ready instead, then stops it.
    func runExpectingExit(_ extraArguments: [String] = []) throws -> Int32? {
        let readyFile = root.appendingPathComponent("ready-\(UUID().uuidString)")
        let process = try launch(extraArguments, readyFile: readyFile)
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline {
            if FileManager.default.fileExists(atPath: readyFile.path) {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
            usleep(5_000)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Sends `signal` to the running tallyd and waits for it to exit.
    func stop(signal: Int32) {
        guard let process else { return }
        if process.isRunning {
            kill(process.processIdentifier, signal)
        }
        process.waitUntilExit()
        self.process = nil
    }

    var isRunning: Bool { process?.isRunning ?? false }

    /// Output of the most recently started process.
    func currentLog() -> String {
        guard let handle = try? FileHandle(forReadingFrom: logPath) else { return "" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: logStart)
        return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Names of the files in the data directory, sorted.
    func dataFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dataDirectory.path)) ?? []).sorted()
    }

    /// Paths of the log segments in the data directory, oldest first.
    func segments() -> [URL] {
        dataFiles().filter { $0.hasPrefix("wal-") && $0.hasSuffix(".log") }.map { dataDirectory.appendingPathComponent($0) }
    }

    /// Paths of the snapshots in the data directory, oldest first.
    func snapshots() -> [URL] {
        dataFiles().filter { $0.hasPrefix("snapshot-") && $0.hasSuffix(".snap") }.map { dataDirectory.appendingPathComponent($0) }
    }
}
