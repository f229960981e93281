import Foundation
import Testing

@Suite("Shell completion")
struct CompletionTests {
    /// Writes the bash script to a file and returns its path.
    private func bashScript() throws -> String {
        let result = try tally(["completion", "bash"])
        #expect(result.status == 0)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tally-completion-\(UUID().uuidString).bash")
        try Data(result.stdout.utf8).write(to: url)
        return url.path
    }

    /// Runs `_tally` on the command line `words` and returns the completions it offers for the last word.
    private func complete(_ words: [String], script: String) throws -> String {
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let program = "source '\(script)'; COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); _tally; echo \"${COMPREPLY[*]}\""
        let result = try run(URL(fileURLWithPath: "/bin/bash"), ["-c", program])
        #expect(result.stderr == "")
        return result.stdout
    }

    @Test("bash accepts the script")
    func bashSyntax() throws {
        let script = try bashScript()
        defer { try? FileManager.default.removeItem(atPath: script) }
        let result = try run(URL(fileURLWithPath: "/bin/bash"), ["-n", script])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
    }

    @Test("bash completes commands, options and values")
    func bashCompletes() throws {
        let script = try bashScript()
        defer { try? FileManager.default.removeItem(atPath: script) }
        #expect(try complete(["tally", ""], script: script) == "record summary records quota import keys completion help\n")
        #expect(try complete(["tally", "re"], script: script) == "record records\n")
        #expect(try complete(["tally", "summary", "--t"], script: script) == "--to --top --time-zone\n")
        #expect(try complete(["tally", "summary", "--range", ""], script: script) == "today 7d 30d all\n")
        #expect(try complete(["tally", "--json", "quota", "--s"], script: script) == "--session --server\n")
        #expect(try complete(["tally", "completion", ""], script: script) == "bash zsh fish\n")
        #expect(try complete(["tally", "help", "im"], script: script) == "import\n")
        #expect(try complete(["tally", "--server", "127.0.0.1:7600", "su"], script: script) == "summary\n")
        #expect(try complete(["tally", "--account", "acme", "quota", "--a"], script: script) == "--at --api-key --account\n")
        #expect(try complete(["tally", "--server", ""], script: script) == "\n")
    }

    @Test("completion scripts for each shell", arguments: ["bash", "zsh", "fish"])
    func scripts(shell: String) throws {
        let result = try tally(["completion", shell])
        #expect(result.status == 0)
        try expectGolden(result.transcript(["completion", shell]), "completion-\(shell).txt")
    }
}
