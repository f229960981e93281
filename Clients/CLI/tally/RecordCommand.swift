import Foundation
import TallyClient
import TallyWire

/// `tally record`: one usage record; exits 0 only when the server stored it
/// or already had it.
enum RecordCommand {
    static func run(_ arguments: inout Arguments, context: inout Context) async throws(CLIError) {
        guard let session = arguments.string("--session") else {
            throw .usage("record needs --session ID")
        }
        let input = try arguments.integer("--input", in: UInt64(0)...UInt64.max) ?? 0
        let output = try arguments.integer("--output", in: UInt64(0)...UInt64.max) ?? 0
        let decisions = try arguments.integer("--decisions", in: UInt64(0)...UInt64.max) ?? 0
        let eventID = arguments.string("--event-id") ?? ""
        var timestamp: Int64 = 0
        if let text = arguments.string("--timestamp") {
            timestamp = try RangeOptions.time(text, option: "--timestamp", zone: context.timeZone)
        }
        try arguments.rejectUnknown()

        let record = UsageRecord(eventID: eventID, sessionID: session, timestampMs: timestamp,
                                 inputTokens: input, outputTokens: output, decisions: decisions)
        let client = try await context.connect()
        let response: RecordUsageResponse
        do {
            response = try await client.recordUsage(RecordUsageRequest(accountID: context.account, records: [record]))
        } catch {
            throw Context.explain(error, server: context.server)
        }
        guard let result = response.results.first else {
            throw .server("INTERNAL: the server returned no result for the record")
        }
        if context.json {
            print(result.json.rendered())
        }
        guard result.status == .ok else {
            throw .server("\(result.status.name): \(result.message)")
        }
        if !context.json {
            let when = "\(Timestamps.local(result.timestampMs, zone: context.timeZone)) (\(context.timeZoneName))"
            let verb = result.duplicate ? "already recorded (duplicate event id, not counted again)" : "recorded"
            print("\(verb): session \(session), \(Formatting.grouped(input)) input + \(Formatting.grouped(output)) output tokens, \(Formatting.grouped(decisions)) decisions at \(when)")
            for notification in result.notifications {
                print("notification: \(notification.thresholdPercent)% of the \(notification.resource.noun) cap reached (\(Formatting.grouped(notification.used)) of \(Formatting.grouped(notification.limit)))")
            }
        }
    }
}
