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
            if command == "completion" {
                try CompletionCommand.run(&arguments)
                return 0
            }
            var context = try Context(arguments: &arguments, environment: ProcessInfo.processInfo.environment)
            switch command {
            case "record": try await RecordCommand.run(&arguments, context: &context)
            case "summary": try await SummaryCommand.run(&arguments, context: &context)
            case "records": try await RecordsCommand.run(&arguments, context: &context)
            case "quota": try await QuotaCommand.run(&arguments, context: &context)
            case "import": try await ImportCommand.run(&arguments, context: &context)
            case "keys": try KeysCommand.run(&arguments, context: context)
            default:
                throw CLIError.usage("unknown command \"\(command)\"; commands are record, summary, records, quota, import, keys, completion, help")
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
