import Foundation
import TallyCore
import TallyServer

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
    var limits = ServiceLimits()
    var transport = TransportOptions()

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

    Limits (the Hello reply announces them; see "Limits" in Proto/PROTOCOL.md):
      --max-frame-bytes N        largest frame length field, in bytes
                                 (default 4194304, from 72 to 4194304)
      --max-batch-records N      records per RecordUsage request
                                 (default 10000, at most 10000)
      --max-session-id-bytes N   session id length of a new record, in UTF-8
                                 bytes (default 128, at most 128)
      --max-event-id-bytes N     event id length of a new record, in UTF-8
                                 bytes (default 128, at most 128)
      --max-page-size N          records per ListRecords page (default 1000,
                                 at most 1000)
      --default-page-size N      page size when a request sends 0 (default 100,
                                 or --max-page-size when that is lower)
      --max-summary-sessions N   session rows per GetSummary reply
                                 (default 1000, at most 1000)
      --max-in-flight N          unanswered requests per connection
                                 (default 1024)
      --max-connections N        open connections in total (default 10000)
      --max-connections-per-peer N
                                 open connections per client address
                                 (default 1000)
      --max-outbound-bytes N     reply bytes queued per connection before the
                                 server stops reading its requests
                                 (default 16777216)
      --max-inbound-bytes N      bytes of incomplete request frames held across
                                 all connections (default 268435456)
      --stall-timeout SECS       time allowed to complete a started frame, to
                                 send Hello after connecting, or to read queued
                                 replies, before the connection is closed
                                 (default 30; fractions allowed)
      --auth-max-delay SECS      longest delay of a Hello reply to an address
                                 with failed authentications (default 3;
                                 0 turns the delay off)
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
        func seconds(_ text: String, for flag: String, allowZero: Bool) throws(UsageError) -> Duration {
            guard let number = Double(text), number.isFinite, number >= 0, number <= 86_400, allowZero || number > 0 else {
                throw UsageError("\(flag) must be a number of seconds \(allowZero ? "from 0" : "above 0") up to 86400; got \"\(text)\"")
            }
            return .milliseconds(Int64((number * 1000).rounded()))
        }
        var defaultPageSizeGiven = false
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
            case "--max-frame-bytes": options.limits.maxFrameBytes = try positive(try value(for: argument), for: argument)
            case "--max-batch-records": options.limits.maxBatchRecords = try positive(try value(for: argument), for: argument)
            case "--max-session-id-bytes": options.limits.maxSessionIDBytes = try positive(try value(for: argument), for: argument)
            case "--max-event-id-bytes": options.limits.maxEventIDBytes = try positive(try value(for: argument), for: argument)
            case "--max-page-size": options.limits.maxPageSize = try positive(try value(for: argument), for: argument)
            case "--default-page-size":
                options.limits.defaultPageSize = try positive(try value(for: argument), for: argument)
                defaultPageSizeGiven = true
            case "--max-summary-sessions": options.limits.maxSummarySessions = try positive(try value(for: argument), for: argument)
            case "--max-in-flight": options.limits.maxInFlight = try positive(try value(for: argument), for: argument)
            case "--max-connections": options.transport.maxConnections = try positive(try value(for: argument), for: argument)
            case "--max-connections-per-peer":
                options.transport.maxConnectionsPerPeer = try positive(try value(for: argument), for: argument)
            case "--max-outbound-bytes": options.transport.maxOutboundBytes = try positive(try value(for: argument), for: argument)
            case "--max-inbound-bytes": options.transport.maxInboundBytes = try positive(try value(for: argument), for: argument)
            case "--stall-timeout": options.transport.stallTimeout = try seconds(try value(for: argument), for: argument, allowZero: false)
            case "--auth-max-delay":
                options.transport.authThrottle.maxDelay = try seconds(try value(for: argument), for: argument, allowZero: true)
            default:
                throw UsageError("unknown option \"\(argument)\"; run tallyd --help for the options")
            }
        }
        if !defaultPageSizeGiven {
            options.limits.defaultPageSize = min(options.limits.defaultPageSize, options.limits.maxPageSize)
        }
        do {
            options.limits = try options.limits.validated()
        } catch {
            // The limit's name, such as max_page_size, becomes its flag.
            let text = error.description
            let name = text.prefix { $0 != ":" }
            throw UsageError("invalid limit: --\(name.replacingOccurrences(of: "_", with: "-"))\(text.dropFirst(name.count))")
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
