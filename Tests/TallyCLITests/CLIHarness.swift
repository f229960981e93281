import Foundation
import Testing

/// Paths of the package and of the built `tally` and `tallyd`.
enum CLIPaths {
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

    static let tally = binaries.appendingPathComponent("tally")
    static let tallyd = binaries.appendingPathComponent("tallyd")
    static let expected = packageRoot.appendingPathComponent("Tests/TallyCLITests/Expected")
}

/// The result of running a command to completion.
struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
}

struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
}

/// The fixed clock of the tests: 2025-12-06T05:46:40Z, a Saturday.
let fixedNowMs = "1765000000000"

/// Runs `executable` with exactly `environment` plus PATH and HOME, and waits for it.
func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> Output {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let inherited = ProcessInfo.processInfo.environment
    var clean = ["PATH": inherited["PATH"] ?? "/usr/bin:/bin", "HOME": inherited["HOME"] ?? "/tmp", "LANG": "C.UTF-8"]
    for (key, value) in environment { clean[key] = value }
    process.environment = clean
    let directory = FileManager.default.temporaryDirectory
    let stdoutFile = directory.appendingPathComponent("tally-cli-out-\(UUID().uuidString)")
    let stderrFile = directory.appendingPathComponent("tally-cli-err-\(UUID().uuidString)")
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
    return Output(
        status: process.terminationStatus,
        stdout: (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
    )
}

/// Runs `tally` with the fixed time zone, clock and width of the tests.
/// `terminal` makes it draw as on a terminal without colour; `color` adds colour.
func tally(_ arguments: [String], server: String? = nil, apiKey: String? = nil,
           terminal: Bool = false, color: Bool = false) throws -> Output {
    var environment = ["TALLY_TIME_ZONE": "Europe/Berlin", "TALLY_TEST_NOW_MS": fixedNowMs, "COLUMNS": "80"]
    if let server { environment["TALLY_SERVER"] = server }
    if let apiKey { environment["TALLY_API_KEY"] = apiKey }
    if terminal || color { environment["TALLY_FORCE_TTY"] = "1" }
    if terminal && !color { environment["NO_COLOR"] = "1" }
    return try run(CLIPaths.tally, arguments, environment: environment)
}

extension Output {
    /// The run as a person sees it in a shell: the command, standard output,
    /// standard error when there is any, and the exit status.
    func transcript(_ arguments: [String], environment: String = "") -> String {
        var text = "$ \(environment)tally \(arguments.joined(separator: " "))\n" + stdout
        if !stderr.isEmpty {
            text += "[stderr]\n" + stderr
        }
        return text + "[exit \(status)]\n"
    }
}
