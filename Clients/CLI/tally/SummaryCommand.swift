import Foundation
import TallyClient
import TallyWire

/// `tally summary`: totals, sessions used and the top sessions for a range.
enum SummaryCommand {
    static func run(_ arguments: inout Arguments, context: inout Context) async throws(CLIError) {
        let range = try RangeOptions.parse(&arguments, context: context, defaultPreset: .allTime)
        let requestedTop = try arguments.integer("--top", in: UInt32(1)...UInt32(1_000))
        // Without --top, a table shows 10 sessions and JSON carries the server's maximum.
        let top = requestedTop ?? 10
        let wide = arguments.flag("--wide")
        try arguments.rejectUnknown()

        let client = try await context.connect()
        let summary: GetSummaryResponse
        do {
            summary = try await client.getSummary(GetSummaryRequest(accountID: context.account, range: range,
                                                                    maxSessions: context.json ? (requestedTop ?? 0) : top))
        } catch {
            throw Context.explain(error, server: context.server)
        }
        if context.json {
            print(summary.json.rendered())
            return
        }
        let view = SummaryView(summary: summary, zone: context.timeZone, zoneName: context.timeZoneName,
                               terminal: context.terminal, wide: wide)
        print(view.render())
    }
}
