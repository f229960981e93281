/// The RPCs the load generator can send.
enum LoadMethod: String, CaseIterable, Sendable {
    case record, quota, summary, list
}

/// Command-line settings of a load run.
struct Options: Sendable {
    var server = "127.0.0.1:7600"
    var apiKey = ""
    var connections = 50
    var threads = 1
    var pipeline = 1
    var recordsPerRequest = 1
    var mix: [(method: LoadMethod, weight: Int)] = [(.record, 100)]
    var durationSeconds: Double = 10
    var requestLimit: Int?
    var warmupSeconds: Double = 1
    var rate: Double?
    var accounts = 100
    var accountPrefix = "acct-"
    var quotaAccounts: Int?
    var quotaAccountPrefix: String?
    var sessions = 1000
    var eventIDBytes = 0
    var summarySessions: UInt32 = 100
    var pageSize: UInt32 = 100
    var tracePath = "Tests/Data/azure-llm-2023"
    var walkPages = 0
    var label = ""
    var seed: UInt64 = 42

    static let usage = """
    usage: tally-bench [options]            run load against a tallyd started on loopback
           tally-bench config [--accounts N] [--account-prefix P] [--plan NAME]
                              [--free-accounts N] [--free-prefix P] --key-sha256 HEX
                                            print a tallyd configuration for benchmarks
           tally-bench selftest             check the histogram against exact percentiles

    load options:
      --server HOST:PORT       loopback address of tallyd (default 127.0.0.1:7600)
      --api-key KEY            key sent in Hello
      --connections N          connections (default 50)
      --threads N              client threads; each polls its share of the connections (default 1)
      --pipeline N             requests in flight per connection (default 1)
      --records N              records per RecordUsage request (default 1)
      --mix M=W,...            weights of record, quota, summary, list (default record=100)
      --duration SECS          measured time (default 10); ignored with --requests
      --requests N             stop after N measured requests
      --warmup SECS            unmeasured time before measuring (default 1)
      --rate R                 total requests per second, paced per connection (default: as fast as possible);
                               latency then counts from each request's scheduled send time
      --accounts N             accounts named PREFIX0..PREFIX(N-1) (default 100)
      --account-prefix P       (default acct-)
      --quota-accounts N       accounts for GetQuota (default: the --accounts ones)
      --quota-prefix P         prefix of the GetQuota accounts
      --sessions N             sessions per account, named s-0.. (default 1000)
      --event-id-bytes N       give every record a unique event id of N bytes (default 0: none)
      --summary-sessions N     max_sessions of GetSummary (default 100)
      --page-size N            page size of ListRecords (default 100)
      --trace DIR              folder of the Azure LLM trace CSV files (default Tests/Data/azure-llm-2023)
      --walk-pages N           instead of load: page through ListRecords of the first account for N pages
                               on one connection and report latency by depth
      --label TEXT             printed in the RESULT line
      --seed N                 random seed (default 42)
    """

    static func parse(_ arguments: [String]) throws(UsageError) -> Options {
        var options = Options()
        var index = 0
        func value(_ name: String) throws(UsageError) -> String {
            index += 1
            guard index < arguments.count else { throw UsageError("\(name) needs a value") }
            return arguments[index]
        }
        func integer(_ name: String, minimum: Int = 1) throws(UsageError) -> Int {
            let text = try value(name)
            guard let number = Int(text), number >= minimum else {
                throw UsageError("\(name): \"\(text)\" is not a whole number of at least \(minimum)")
            }
            return number
        }
        func decimal(_ name: String) throws(UsageError) -> Double {
            let text = try value(name)
            guard let number = Double(text), number >= 0 else {
                throw UsageError("\(name): \"\(text)\" is not a number of at least 0")
            }
            return number
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--server": options.server = try value(argument)
            case "--api-key": options.apiKey = try value(argument)
            case "--connections": options.connections = try integer(argument)
            case "--threads": options.threads = try integer(argument)
            case "--pipeline": options.pipeline = try integer(argument)
            case "--records": options.recordsPerRequest = try integer(argument)
            case "--mix": options.mix = try parseMix(try value(argument))
            case "--duration": options.durationSeconds = try decimal(argument)
            case "--requests": options.requestLimit = try integer(argument)
            case "--warmup": options.warmupSeconds = try decimal(argument)
            case "--rate": options.rate = try decimal(argument)
            case "--accounts": options.accounts = try integer(argument)
            case "--account-prefix": options.accountPrefix = try value(argument)
            case "--quota-accounts": options.quotaAccounts = try integer(argument)
            case "--quota-prefix": options.quotaAccountPrefix = try value(argument)
            case "--sessions": options.sessions = try integer(argument)
            case "--event-id-bytes": options.eventIDBytes = try integer(argument, minimum: 0)
            case "--summary-sessions": options.summarySessions = UInt32(try integer(argument, minimum: 0))
            case "--page-size": options.pageSize = UInt32(try integer(argument))
            case "--trace": options.tracePath = try value(argument)
            case "--walk-pages": options.walkPages = try integer(argument)
            case "--label": options.label = try value(argument)
            case "--seed": options.seed = UInt64(try integer(argument, minimum: 0))
            default: throw UsageError("unknown option \"\(argument)\"; run tally-bench --help")
            }
            index += 1
        }
        if options.eventIDBytes > 0 && options.eventIDBytes < 20 {
            throw UsageError("--event-id-bytes: \(options.eventIDBytes) is under the minimum of 20 needed for unique ids")
        }
        if options.eventIDBytes > 128 {
            throw UsageError("--event-id-bytes: \(options.eventIDBytes) is over the maximum of 128")
        }
        if options.pipeline > 1024 {
            throw UsageError("--pipeline: \(options.pipeline) is over the server's maximum of 1024 requests in flight")
        }
        if options.recordsPerRequest > 10_000 {
            throw UsageError("--records: \(options.recordsPerRequest) is over the maximum of 10000 per request")
        }
        options.threads = min(options.threads, options.connections)
        return options
    }

    static func parseMix(_ text: String) throws(UsageError) -> [(method: LoadMethod, weight: Int)] {
        var mix: [(method: LoadMethod, weight: Int)] = []
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "=")
            guard pieces.count == 2, let method = LoadMethod(rawValue: String(pieces[0])),
                let weight = Int(pieces[1]), weight >= 0
            else {
                throw UsageError("--mix: \"\(part)\" is not METHOD=WEIGHT with METHOD one of record, quota, summary, list")
            }
            mix.append((method, weight))
        }
        guard mix.contains(where: { $0.weight > 0 }) else {
            throw UsageError("--mix: \"\(text)\" has no method with a weight above 0")
        }
        return mix
    }
}

/// A command-line mistake, with the option and the value.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
