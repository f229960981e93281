import Foundation
import TallyClient
import TallyWire

/// Global options and the lazily opened connection.
struct Context {
    var server: String
    var apiKey: String
    var account: String
    var json: Bool
    var timeZone: TimeZone
    /// The process environment, read once.
    var environment: [String: String]
    /// The drawing mode of standard output.
    var terminal: Terminal
    var client: TallyClient?

    init(arguments: inout Arguments, environment: [String: String]) throws(CLIError) {
        self.environment = environment
        terminal = Terminal.detect(environment: environment)
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

    /// Turns an RPC failure into a message that states what to do next.
    static func explain(_ error: RPCError, server: String) -> CLIError {
        switch error.code {
        case .unavailable where error.message.contains("cannot connect"):
            return .server("""
                \(error.message)
                Is tallyd running at \(server)? Start it with: tallyd --listen \(server) --data-dir DIR
                or point tally at another server with --server HOST:PORT or TALLY_SERVER.
                """)
        case .unauthenticated:
            return .server("\(error.code.name): \(error.message) (pass --api-key KEY or set TALLY_API_KEY; tally keys new makes one)")
        default:
            return .server("\(error.code.name): \(error.message)")
        }
    }
}
