import Foundation
import Glibc
import TallyCore
import TallyServer
import TallySocket

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print(Options.usage)
    exit(0)
}
if arguments.contains("--version") {
    print(MeteringService.serverVersion)
    exit(0)
}

let options: Options
do {
    options = try Options.parse(arguments)
} catch {
    FileHandle.standardError.write(Data("tallyd: \(error)\n".utf8))
    exit(2)
}

let logger = Logger(label: "tallyd", logLevel: options.logLevel)
let daemon = Daemon(options: options, logger: logger)
do {
    try await daemon.run()
    exit(0)
} catch {
    logger.critical("tallyd stopped: \(error)")
    exit(1)
}
