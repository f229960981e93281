import Foundation
import TallyClient
import TallyWire

/// Runs one `tally` invocation and returns its exit status.
enum CommandLineTool {
    static func run(_ rawArguments: [String]) async -> Int32 {
        do {
            var arguments = try Arguments(rawArguments)
            if arguments.flag("--version") {
                print("tally 1.0.0")
                return 0
            }
            let command = arguments.command ?? "help"
            if arguments.flag("--help") || arguments.flag("-h") || command == "help" {
                let topic = command == "help" ? arguments.positionals.first : command
                guard let text = Help.text(for: topic) else {
                    throw CLIError.usage("unknown command \"\(topic ?? "")\"; run tally help for the commands")
                }
                print(text)
                return 0
            }
            var context = try Context(arguments: &arguments)
            switch command {
            case "record": try await RecordCommand.run(&arguments, context: &context)
            case "summary": try await SummaryCommand.run(&arguments, context: &context)
            case "records": try await RecordsCommand.run(&arguments, context: &context)
            case "quota": try await QuotaCommand.run(&arguments, context: &context)
            case "import": try await ImportCommand.run(&arguments, context: &context)
            case "keys": try KeysCommand.run(&arguments, context: context)
            default:
                throw CLIError.usage("unknown command \"\(command)\"; commands are record, summary, records, quota, import, keys, help")
            }
            context.client?.close()
            return 0
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("tally: \(error.message)\n".utf8))
            return error.exitStatus
        } catch {
            FileHandle.standardError.write(Data("tally: \(error)\n".utf8))
            return 1
        }
    }
}

/// Global options and the lazily opened connection.
struct Context {
    var server: String
    var apiKey: String
    var account: String
    var json: Bool
    var timeZone: TimeZone
    var client: TallyClient?

    init(arguments: inout Arguments) throws(CLIError) {
        let environment = ProcessInfo.processInfo.environment
        server = arguments.string("--server") ?? environment["TALLY_SERVER"] ?? "127.0.0.1:7600"
        apiKey = arguments.string("--api-key") ?? environment["TALLY_API_KEY"] ?? ""
        account = arguments.string("--account") ?? ""
        json = arguments.flag("--json")
        let zoneName = arguments.string("--time-zone") ?? environment["TALLY_TIME_ZONE"]
        if let zoneName {
            guard let zone = TimeZone(identifier: zoneName) else {
                throw .usage("--time-zone: unknown time zone \"\(zoneName)\"; use an IANA name such as Europe/Berlin")
            }
            timeZone = zone
        } else {
            timeZone = TimeZone.current
        }
    }

    /// The IANA name sent to the server for local ranges.
    var timeZoneName: String { timeZone.identifier == "GMT" ? "UTC" : timeZone.identifier }

    mutating func connect() async throws(CLIError) -> TallyClient {
        if let client { return client }
        do {
            let client = try await TallyClient.connect(to: server, apiKey: apiKey, clientName: "tally-cli/1.0")
            self.client = client
            return client
        } catch {
            throw Context.explain(error, server: server)
        }
    }

    /// Turns an RPC failure into a message that says what to do next.
    static func explain(_ error: RPCError, server: String) -> CLIError {
        switch error.code {
        case .unavailable where error.message.contains("cannot connect"):
            return .server("\(error.message)\nIs tallyd running there? Start it with: tallyd --listen \(server)  (or pass --server HOST:PORT, or set TALLY_SERVER)")
        case .unauthenticated:
            return .server("\(error.code.name): \(error.message) (pass --api-key KEY or set TALLY_API_KEY)")
        default:
            return .server("\(error.code.name): \(error.message)")
        }
    }
}
