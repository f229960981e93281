import Foundation
import TallyCore

/// tallyd's command line.
struct Options {
    var listen = "127.0.0.1:7600"
    var dataDirectory = "./tally-data"
    var configPath: String?
    var durability = DurabilityMode.sync
    var snapshotIntervalSeconds = 300
    var shards = max(1, ProcessInfo.processInfo.activeProcessorCount)
    var loops = max(1, ProcessInfo.processInfo.activeProcessorCount)
    var logLevel = Logger.Level.info
    var readyFile: String?
    var recoverFromCorruption = false

    static let usage = """
    Usage: tallyd [options]

    Serves Tally's metering protocol over TCP.

    Options:
      --listen HOST:PORT         address to listen on (default 127.0.0.1:7600;
                                 without --config only loopback addresses)
      --data-dir DIR             where the write-ahead log and snapshots live
                                 (default ./tally-data, created if missing)
      --config FILE              JSON file with plans, accounts and API keys;
                                 without it: one account "default" on the free
                                 plan and no keys
      --durability MODE          sync: reply after the log is on disk (default);
                                 interval: sync the log at least once a second
      --snapshot-interval SECS   seconds between snapshots (default 300)
      --shards N                 metering actors (default: number of cores)
      --loops N                  network event loops (default: number of cores)
      --log-level LEVEL          trace, debug, info, notice, warning, error
                                 (default info)
      --ready-file PATH          write the bound address to PATH once listening
      --recover-from-corruption  start from the last good point of a damaged log
                                 or snapshot instead of refusing to start
      --help                     print this help
      --version                  print the version

    Signals: SIGTERM and SIGINT write a snapshot and stop; SIGHUP reloads --config.
    """

    /// Parses arguments; throws a message naming the bad option and value.
    static func parse(_ arguments: [String]) throws(UsageError) -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        func value(for flag: String) throws(UsageError) -> String {
            guard let value = iterator.next() else { throw UsageError("\(flag) needs a value") }
            return value
        }
        func positive(_ text: String, for flag: String) throws(UsageError) -> Int {
            guard let number = Int(text), number > 0 else {
                throw UsageError("\(flag) must be a whole number above 0; got \"\(text)\"")
            }
            return number
        }
        while let argument = iterator.next() {
            switch argument {
            case "--listen": options.listen = try value(for: argument)
            case "--data-dir": options.dataDirectory = try value(for: argument)
            case "--config": options.configPath = try value(for: argument)
            case "--durability":
                let text = try value(for: argument)
                guard let mode = DurabilityMode(rawValue: text) else {
                    throw UsageError("--durability must be sync or interval; got \"\(text)\"")
                }
                options.durability = mode
            case "--snapshot-interval": options.snapshotIntervalSeconds = try positive(try value(for: argument), for: argument)
            case "--shards": options.shards = try positive(try value(for: argument), for: argument)
            case "--loops": options.loops = try positive(try value(for: argument), for: argument)
            case "--log-level":
                let text = try value(for: argument)
                guard let level = Logger.Level(name: text) else {
                    throw UsageError("--log-level must be trace, debug, info, notice, warning or error; got \"\(text)\"")
                }
                options.logLevel = level
            case "--ready-file": options.readyFile = try value(for: argument)
            case "--recover-from-corruption": options.recoverFromCorruption = true
            default:
                throw UsageError("unknown option \"\(argument)\"; run tallyd --help for the options")
            }
        }
        return options
    }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
