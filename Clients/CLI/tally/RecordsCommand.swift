import Foundation
import TallyClient
import TallyWire

/// `tally records`: the records table, newest first, a page at a time.
enum RecordsCommand {
    static func run(_ arguments: inout Arguments, context: inout Context) async throws(CLIError) {
        let repeated = RecordsCommand.repeatedOptions(arguments)
        let range = try RangeOptions.parse(&arguments, context: context, defaultPreset: .allTime)
        let requestedLimit = try arguments.integer("--limit", in: UInt32(1)...UInt32(1_000))
        let all = arguments.flag("--all")
        if all && requestedLimit != nil {
            throw .usage("pass either --limit N (one page) or --all (every page), not both")
        }
        let session = arguments.string("--session") ?? ""
        var token = arguments.string("--page-token") ?? ""
        let utc = arguments.flag("--utc")
        try arguments.rejectUnknown()

        let client = try await context.connect()
        // A server may set a page maximum below 1,000 (tallyd --max-page-size).
        let serverMax = client.hello.limits.map(\.maxPageSize).flatMap { $0 == 0 ? nil : $0 } ?? 1_000
        if let requestedLimit, requestedLimit > serverMax {
            throw .usage("--limit \(requestedLimit) is over this server's maximum page size of \(serverMax) (max_page_size)")
        }
        let limit = requestedLimit ?? min(20, serverMax)
        var records: [StoredRecord] = []
        var nextToken = ""
        repeat {
            let page: ListRecordsResponse
            do {
                page = try await client.listRecords(ListRecordsRequest(accountID: context.account, range: range,
                                                                       sessionID: session, pageSize: all ? serverMax : limit,
                                                                       pageToken: token))
            } catch {
                throw Context.explain(error, server: context.server)
            }
            records += page.records
            nextToken = page.nextPageToken
            token = nextToken
        } while all && !nextToken.isEmpty

        if context.json {
            print(JSONValue.object([
                ("records", .array(records.map(\.json))),
                ("next_page_token", .string(nextToken)),
            ]).rendered())
            return
        }
        let zone = utc ? TimeZone(identifier: "UTC")! : context.timeZone
        let view = RecordsView(records: records, zone: zone, zoneName: utc ? "UTC" : context.timeZoneName,
                               terminal: context.terminal, nextPageToken: nextToken, command: repeated)
        print(view.render())
    }

    /// `tally records` with the options given that shape a page, so that the
    /// printed next-page command lists the same records.
    static func repeatedOptions(_ arguments: Arguments) -> [String] {
        var words = ["tally", "records"]
        for name in ["--server", "--account", "--time-zone", "--range", "--from", "--to", "--session", "--limit"] {
            if let value = arguments.peek(name) { words += [name, value] }
        }
        if arguments.has("--utc") { words.append("--utc") }
        return words
    }
}
