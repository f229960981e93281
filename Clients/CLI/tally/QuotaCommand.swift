import Foundation
import TallyClient
import TallyWire

/// `tally quota`: usage against the plan's caps in the billing period.
enum QuotaCommand {
    static func run(_ arguments: inout Arguments, context: inout Context) async throws(CLIError) {
        let session = arguments.string("--session") ?? ""
        var at: Int64 = 0
        if let text = arguments.string("--at") {
            at = try RangeOptions.time(text, option: "--at", zone: context.timeZone)
        }
        try arguments.rejectUnknown()

        let client = try await context.connect()
        let quota: GetQuotaResponse
        do {
            quota = try await client.getQuota(GetQuotaRequest(accountID: context.account, sessionID: session, atMs: at))
        } catch {
            throw Context.explain(error, server: context.server)
        }
        if context.json {
            print(quota.json.rendered())
            return
        }
        let view = QuotaView(quota: quota, zone: context.timeZone, zoneName: context.timeZoneName,
                             terminal: context.terminal, nowMs: Clock.nowMs(environment: context.environment),
                             session: session)
        print(view.render())
    }
}
