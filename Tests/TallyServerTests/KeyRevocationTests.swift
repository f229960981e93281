import Foundation
import Glibc
import Testing
import TallyClient
import TallyServer
import TallyWire

/// Runs the built tallyd as a child process, revokes a key by rewriting its
/// configuration and sending SIGHUP, and checks what the key's connections see.
@Suite struct KeyRevocationTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// tallyd beside the test bundle, or in .build/debug.
    static func tallydPath() throws -> String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [beside, beside.deletingLastPathComponent(), packageRoot.appendingPathComponent(".build/debug")]
        for directory in candidates {
            let path = directory.appendingPathComponent("tallyd").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw RevocationTestError("tallyd not found beside the tests or in .build/debug; run swift build first")
    }

    static func configuration(keys: [(key: String, role: String, account: String?)]) -> String {
        let entries = keys.map { entry in
            let account = entry.account.map { ", \"account\": \"\($0)\"" } ?? ""
            return "{\"sha256\": \"\(KeyStore.sha256Hex(entry.key))\", \"role\": \"\(entry.role)\"\(account)}"
        }
        return """
        {"plans": {"free": {"tokens": 500000}}, "accounts": {"acme": {"plan": "free"}},
         "keys": [\(entries.joined(separator: ", "))]}
        """
    }

    @Test func sighupClosesRevokedKeyConnections() async throws {
        let agentKey = "tk_agent_revocation_4c1d0e9a7b3f"
        let adminKey = "tk_admin_revocation_93b2e71f06aa"
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tally-revoke-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let configPath = root.appendingPathComponent("config.json").path
        let readyPath = root.appendingPathComponent("ready").path
        let logPath = root.appendingPathComponent("tallyd.log").path
        try Data(Self.configuration(keys: [(agentKey, "agent", "acme"), (adminKey, "admin", nil)]).utf8)
            .write(to: URL(fileURLWithPath: configPath))
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.tallydPath())
        process.arguments = ["--listen", "127.0.0.1:0", "--data-dir", root.appendingPathComponent("data").path,
                             "--ready-file", readyPath, "--config", configPath, "--loops", "2",
                             "--max-batch-records", "500", "--max-in-flight", "64", "--stall-timeout", "5",
                             "--max-session-id-bytes", "40", "--max-event-id-bytes", "32",
                             // Below the default page size of 100, which follows it down.
                             "--max-page-size", "50"]
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }

        var address = ""
        for _ in 0..<600 where address.isEmpty {
            address = ((try? String(contentsOfFile: readyPath, encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if address.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(!address.isEmpty, "tallyd wrote no ready file: \(String(decoding: FileManager.default.contents(atPath: logPath) ?? Data(), as: UTF8.self))")

        let agent = try RawConnection(address: address, readTimeout: 30)
        try agent.helloFrame(apiKey: agentKey)
        let hello = try #require(await agent.readFrame())
        #expect(hello.status == .ok)
        let limits = try HelloResponse(serializedBytes: hello.payload).limits
        #expect(limits?.maxBatchRecords == 500)
        #expect(limits?.maxInFlight == 64)
        #expect(limits?.maxSessionIDBytes == 40)
        #expect(limits?.maxEventIDBytes == 32)
        #expect(limits?.maxPageSize == 50)
        try agent.sendFrame(requestID: 2, method: Method.getQuota.rawValue, payload: [])
        let quota = try #require(await agent.readFrame())
        #expect(quota.status == .ok)
        let admin = try await TallyClient.connect(to: address, apiKey: adminKey, timeout: .seconds(10))

        try Data(Self.configuration(keys: [(adminKey, "admin", nil)]).utf8)
            .write(to: URL(fileURLWithPath: configPath), options: .atomic)
        kill(process.processIdentifier, SIGHUP)

        // The open connection of the revoked key is closed without a reply.
        #expect(await agent.drainUntilClosed() == 0)
        let rejected = await #expect(throws: RPCError.self) {
            _ = try await TallyClient.connect(to: address, apiKey: agentKey, timeout: .seconds(10))
        }
        #expect(rejected?.code == .unauthenticated)
        // The key that stays keeps its connection.
        #expect(try await admin.getQuota(GetQuotaRequest(accountID: "acme")).plan == "free")
        admin.close()

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let log = String(decoding: FileManager.default.contents(atPath: logPath) ?? Data(), as: UTF8.self)
        #expect(log.contains("its key was revoked"))
        #expect(!log.contains(agentKey))
        #expect(!log.contains(adminKey))
    }
}

@Suite struct TallydFlagTests {
    @Test(arguments: [
        (["--max-batch-records", "20000"], "tallyd: invalid limit: --max-batch-records: 20000 is outside the allowed range 1 to 10000\n"),
        (["--max-session-id-bytes", "129"], "tallyd: invalid limit: --max-session-id-bytes: 129 is outside the allowed range 1 to 128\n"),
        (["--max-event-id-bytes", "0"], "tallyd: --max-event-id-bytes must be a whole number above 0; got \"0\"\n"),
        (["--max-page-size", "10", "--default-page-size", "20"],
         "tallyd: invalid limit: --default-page-size: 20 is outside the allowed range 1 to 10\n"),
    ])
    func invalidLimitIsRejected(arguments: [String], expected: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try KeyRevocationTests.tallydPath())
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(output == expected)
    }

    @Test func invalidStallTimeoutIsRejected() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try KeyRevocationTests.tallydPath())
        process.arguments = ["--stall-timeout", "0"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(output == "tallyd: --stall-timeout must be a number of seconds above 0 up to 86400; got \"0\"\n")
    }
}

struct RevocationTestError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
