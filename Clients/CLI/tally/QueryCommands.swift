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
            let when = Timestamps.local(result.timestampMs, zone: context.timeZone, withZone: true)
            let verb = result.duplicate ? "already recorded (duplicate event id, not counted again)" : "recorded"
            print("\(verb): session \(session), \(Formatting.grouped(input)) input + \(Formatting.grouped(output)) output tokens, \(Formatting.grouped(decisions)) decisions at \(when)")
            for notification in result.notifications {
                print("notification: \(notification.thresholdPercent)% of the \(notification.resource.noun) cap reached (\(Formatting.grouped(notification.used)) of \(Formatting.grouped(notification.limit)))")
            }
        }
    }
}

/// `tally summary`: totals, sessions used and the top sessions for a range.
enum SummaryCommand {
    static func run(_ arguments: inout Arguments, context: inout Context) async throws(CLIError) {
        let range = try RangeOptions.parse(&arguments, context: context, defaultPreset: .allTime)
        let top = try arguments.integer("--top", in: UInt32(1)...UInt32(1_000)) ?? 10
        try arguments.rejectUnknown()

        let client = try await context.connect()
        let summary: GetSummaryResponse
        do {
            summary = try await client.getSummary(GetSummaryRequest(accountID: context.account, range: range,
                                                                    maxSessions: context.json ? 0 : top))
        } catch {
            throw Context.explain(error, server: context.server)
        }
        if context.json {
            print(summary.json.rendered())
            return
        }
        print("Usage for \(RangeOptions.describe(startMs: summary.startMs, endMs: summary.endMs, zone: context.timeZone))")
        print(Formatting.table(header: ["FIGURE", "VALUE"], rows: [
            ["Total tokens", Formatting.grouped(summary.totalTokens)],
            ["Input tokens", Formatting.grouped(summary.inputTokens)],
            ["Output tokens", Formatting.grouped(summary.outputTokens)],
            ["Sessions used", Formatting.grouped(summary.sessionsUsed)],
            ["Records", Formatting.grouped(summary.records)],
        ], rightAligned: [1]))
        guard !summary.sessions.isEmpty else { return }
        print("")
        print("Top sessions by total tokens")
        let rows = summary.sessions.map { session in
            [session.sessionID, Formatting.grouped(session.inputTokens), Formatting.grouped(session.outputTokens),
             Formatting.grouped(session.totalTokens), Formatting.grouped(session.records)]
        }
        print(Formatting.table(header: ["SESSION", "INPUT", "OUTPUT", "TOTAL", "RECORDS"], rows: rows, rightAligned: [1, 2, 3, 4]))
    }
}

/// `tally records`: the records table, newest first, a page at a time.
enum RecordsCommand {
    static func run(_ arguments: inout Arguments, context: inout Context) async throws(CLIError) {
        let range = try RangeOptions.parse(&arguments, context: context, defaultPreset: .allTime)
        let limit = try arguments.integer("--limit", in: UInt32(1)...UInt32(1_000)) ?? 20
        let all = arguments.flag("--all")
        let session = arguments.string("--session") ?? ""
        var token = arguments.string("--page-token") ?? ""
        let utc = arguments.flag("--utc")
        try arguments.rejectUnknown()

        let client = try await context.connect()
        var records: [StoredRecord] = []
        var nextToken = ""
        repeat {
            let page: ListRecordsResponse
            do {
                page = try await client.listRecords(ListRecordsRequest(accountID: context.account, range: range,
                                                                       sessionID: session, pageSize: all ? 1_000 : limit,
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
        let rows = records.map { record in
            [Timestamps.local(record.timestampMs, zone: zone), record.sessionID, Formatting.grouped(record.inputTokens),
             Formatting.grouped(record.outputTokens), Formatting.grouped(record.totalTokens)]
        }
        print(Formatting.table(header: ["TIMESTAMP (\(utc ? "UTC" : context.timeZoneName))", "SESSION", "INPUT", "OUTPUT", "TOTAL"],
                               rows: rows, rightAligned: [2, 3, 4]))
        if !nextToken.isEmpty {
            print("\nMore records: tally records --page-token \(nextToken)")
        }
    }
}

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
        let zone = context.timeZone
        print("Plan \(quota.plan), period \(Timestamps.local(quota.periodStartMs, zone: zone)) to \(Timestamps.local(quota.periodEndMs, zone: zone, withZone: true))")
        let rows = quota.resources.map { resource in
            [resource.resource.noun, Formatting.grouped(resource.used),
             resource.unlimited ? "unlimited" : Formatting.grouped(resource.limit),
             resource.unlimited ? "-" : Formatting.grouped(resource.remaining),
             resource.exhausted ? "cap reached" : "ok"]
        }
        print(Formatting.table(header: ["RESOURCE", "USED", "LIMIT", "REMAINING", "STATE"], rows: rows, rightAligned: [1, 2, 3]))
        for resource in quota.resources where resource.exhausted {
            print("The \(resource.resource.noun) cap is reached: new actions that need \(resource.resource.noun) are rejected until \(Timestamps.local(quota.periodEndMs, zone: zone, withZone: true)).")
        }
        if !quota.notifications.isEmpty {
            print("\nNotifications this period")
            for notification in quota.notifications {
                print("  \(Timestamps.local(notification.crossedAtMs, zone: zone))  \(notification.resource.noun) reached \(notification.thresholdPercent)% (\(Formatting.grouped(notification.used)) of \(Formatting.grouped(notification.limit)))")
            }
        }
        if !session.isEmpty {
            print(quota.sessionAllowed ? "\nSession \(session) may act now." : "\nSession \(session) may not act now: \(quota.sessionDeniedReason)")
        }
    }
}
