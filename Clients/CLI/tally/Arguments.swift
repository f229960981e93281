import Foundation

/// The command line split into a command, its positional arguments and its
/// options, with global options accepted before or after the command.
struct Arguments {
    var command: String?
    var positionals: [String] = []
    private var values: [String: String] = [:]
    private var flags: Set<String> = []
    private var consumed: Set<String> = []

    /// Options that take no value.
    static let flagNames: Set<String> = ["--json", "--all", "--utc", "--wide", "--help", "-h", "--version", "--no-progress"]

    /// Options that take a value, as the next argument or after `=`.
    static let valueNames: Set<String> = [
        "--server", "--api-key", "--account", "--time-zone",
        "--session", "--input", "--output", "--decisions", "--event-id", "--timestamp",
        "--range", "--from", "--to", "--top", "--limit", "--page-token", "--at",
        "--timestamp-column", "--session-column", "--input-column", "--output-column", "--decisions-column",
        "--event-id-column", "--session-window", "--batch-size", "--role", "--name",
    ]

    init(_ arguments: [String]) throws(CLIError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument.hasPrefix("-") && argument.count > 1 {
                var name = argument
                var inlineValue: String?
                if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                    name = String(argument[..<equals])
                    inlineValue = String(argument[argument.index(after: equals)...])
                }
                // An unknown option is kept as a flag, so that rejectUnknown names it
                // instead of taking the next argument as its value.
                if Self.flagNames.contains(name) || !Self.valueNames.contains(name) {
                    flags.insert(name)
                    continue
                }
                guard let value = inlineValue ?? (index < arguments.count ? arguments[index] : nil) else {
                    throw .usage("\(name) needs a value")
                }
                if inlineValue == nil { index += 1 }
                values[name] = value
            } else if command == nil {
                command = argument
            } else {
                positionals.append(argument)
            }
        }
    }

    mutating func flag(_ name: String) -> Bool {
        consumed.insert(name)
        return flags.contains(name)
    }

    /// Returns the value of `name` without marking it as read.
    func peek(_ name: String) -> String? {
        values[name]
    }

    /// Returns whether flag `name` was given, without marking it as read.
    func has(_ name: String) -> Bool {
        flags.contains(name)
    }

    mutating func string(_ name: String) -> String? {
        consumed.insert(name)
        return values[name]
    }

    /// A whole number option within `range`; nil when absent.
    mutating func integer<Value: FixedWidthInteger>(_ name: String, in range: ClosedRange<Value>) throws(CLIError) -> Value? {
        guard let text = string(name) else { return nil }
        guard let value = Value(text.replacingOccurrences(of: "_", with: "")), range.contains(value) else {
            throw .usage("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound); got \"\(text)\"")
        }
        return value
    }

    /// Throws for any option that the command did not read, and for
    /// positional arguments past the `positionals` it takes.
    func rejectUnknown(positionals allowed: Int = 0) throws(CLIError) {
        if positionals.count > allowed {
            let extra = positionals[allowed...].map { "\"\($0)\"" }.joined(separator: " ")
            let help = command.map { "tally help \($0)" } ?? "tally --help"
            throw .usage("unexpected argument \(extra) for \(command ?? "tally"); run \(help) for its usage")
        }
        let unknown = Set(values.keys).union(flags).subtracting(consumed)
        if let first = unknown.sorted().first {
            let help = command.map { "tally help \($0)" } ?? "tally --help"
            throw .usage("unknown option \(first) for \(command ?? "tally"); run \(help) for its options")
        }
    }
}

/// An error that ends a command, with the exit status it maps to.
enum CLIError: Error {
    /// Bad usage: exit status 2.
    case usage(String)
    /// An error from the server or the connection: exit status 1.
    case server(String)
    /// A local failure such as an unreadable file: exit status 1.
    case failure(String)

    var exitStatus: Int32 {
        switch self {
        case .usage: 2
        case .server, .failure: 1
        }
    }

    var message: String {
        switch self {
        case .usage(let message), .server(let message), .failure(let message): message
        }
    }
}
