import Glibc

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.contains("--help") || arguments.contains("-h") {
        print(Options.usage)
    } else if arguments.first == "config" {
        try ConfigCommand.run(Array(arguments.dropFirst()))
    } else if arguments.first == "selftest" {
        exit(SelfTest.run() ? 0 : 1)
    } else {
        let options = try Options.parse(arguments)
        if options.walkPages > 0 {
            try WalkRun.run(options)
        } else {
            try LoadRun.run(options)
        }
    }
} catch {
    let message = "tally-bench: \(error.description)\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
    exit(2)
}
