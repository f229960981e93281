import Testing

@Suite("Help")
struct HelpTests {
    @Test("overview help text")
    func overview() throws {
        let result = try tally(["--help"])
        #expect(result.status == 0)
        try expectGolden(result.transcript(["--help"]), "help.txt")
    }

    @Test("command help text", arguments: ["record", "summary", "records", "quota", "import", "keys", "completion"])
    func command(name: String) throws {
        let result = try tally(["help", name])
        #expect(result.status == 0)
        try expectGolden(result.transcript(["help", name]), "help-\(name).txt")
    }

    @Test("--help after a command matches help COMMAND")
    func helpFlag() throws {
        let flag = try tally(["quota", "--help"])
        let command = try tally(["help", "quota"])
        #expect(flag.status == 0)
        #expect(flag.stdout == command.stdout)
    }

    @Test("help text is the same on a terminal")
    func helpOnTerminal() throws {
        let plain = try tally(["help", "summary"])
        let terminal = try tally(["help", "summary"], terminal: true)
        #expect(terminal.stdout == plain.stdout)
    }

    @Test("help mentions every completed option")
    func optionsDocumented() throws {
        let global: Set = ["--server", "--api-key", "--account", "--time-zone", "--json", "--help", "--version"]
        for command in ["record", "summary", "records", "quota", "import", "keys"] {
            let text = try tally(["help", command]).stdout
            let options = CompletionOptions.options(of: command).filter { !global.contains($0) }
            #expect(!options.isEmpty, "no options completed for \(command)")
            for option in options {
                #expect(text.contains(option), "help \(command) does not mention \(option)")
            }
        }
    }
}

/// The options that `tally completion bash` offers for a command, read back
/// from the script so that help and completion cannot drift apart.
enum CompletionOptions {
    static func options(of command: String) -> [String] {
        guard let script = try? tally(["completion", "bash"]).stdout,
              let line = script.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(command)) opts=") }),
              let start = line.firstIndex(of: "\""), let end = line.lastIndex(of: "\""), start < end else {
            return []
        }
        return line[line.index(after: start)..<end].split(separator: " ").map(String.init)
    }
}
