/// `tally completion bash|zsh|fish`: prints a shell completion script built
/// from the command and option lists below.
enum CompletionCommand {
    static let commands = ["record", "summary", "records", "quota", "import", "keys", "completion", "help"]

    static let globalOptions = ["--server", "--api-key", "--account", "--time-zone", "--json", "--help", "--version"]

    /// Each command's own options.
    static let options: [String: [String]] = [
        "record": ["--session", "--input", "--output", "--decisions", "--event-id", "--timestamp"],
        "summary": ["--range", "--from", "--to", "--top", "--wide"],
        "records": ["--range", "--from", "--to", "--session", "--limit", "--all", "--page-token", "--utc"],
        "quota": ["--session", "--at"],
        "import": ["--timestamp-column", "--session-column", "--input-column", "--output-column",
                   "--decisions-column", "--event-id-column", "--session-window", "--batch-size", "--no-progress"],
        "keys": ["--role", "--name"],
        "completion": [],
        "help": [],
    ]

    /// Fixed choices of option values and positional arguments.
    static let choices: [(String, [String])] = [
        ("--range", ["today", "7d", "30d", "all"]),
        ("--role", ["agent", "service", "admin"]),
    ]

    static let shells = ["bash", "zsh", "fish"]

    static func run(_ arguments: inout Arguments) throws(CLIError) {
        try arguments.rejectUnknown(positionals: 1)
        guard let shell = arguments.positionals.first, shells.contains(shell) else {
            let got = arguments.positionals.first.map { "; got \"\($0)\"" } ?? ""
            throw .usage("completion needs a shell: bash, zsh or fish\(got). Example: tally completion bash > /etc/bash_completion.d/tally")
        }
        switch shell {
        case "bash": print(bash())
        case "zsh": print(zsh())
        default: print(fish())
        }
    }
}
