import Foundation
import Testing

@Suite("Generated C code")
struct GeneratedCodeTests {
    @Test("protoc-c output is current")
    func generatedCodeIsCurrent() throws {
        // #filePath is <root>/Tests/TallyWireTests/GeneratedCodeTests.swift.
        let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appending(path: "Proto/generate.sh")

        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["bash", script.path, "--check"]
        let errorPipe = Pipe()
        process.standardError = errorPipe
        try process.run()
        let errorOutput = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()

        let message = String(decoding: errorOutput, as: UTF8.self)
        #expect(process.terminationStatus == 0, "generate.sh --check failed: \(message)")
    }
}
