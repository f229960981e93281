import Foundation
import Glibc
import TallyClient
import TallyWire

/// `tally import FILE.csv`: sends a CSV file's rows as usage records, in file
/// order, a batch at a time, and reports what the server did with them.
enum ImportCommand {
    /// A parsed row ready to send, with the line it came from.
    struct Row {
        var line: Int
        var record: UsageRecord
    }

    struct Tally {
        var accepted = 0
        var duplicates = 0
        var rejectedByReason: [String: Int] = [:]
        var firstMessageByReason: [String: String] = [:]
        var notifications: [(line: Int, eventID: String, notification: TallyWire.Notification)] = []
        var rejected: Int { rejectedByReason.values.reduce(0, +) }
    }

    static func run(_ arguments: inout Arguments, context: inout Context) async throws(CLIError) {
        guard let path = arguments.positionals.first else {
            throw .usage("import needs a CSV file: tally import FILE.csv")
        }
        let columns = ColumnNames(
            timestamp: arguments.string("--timestamp-column") ?? "timestamp",
            session: arguments.string("--session-column"),
            input: arguments.string("--input-column") ?? "input_tokens",
            output: arguments.string("--output-column") ?? "output_tokens",
            decisions: arguments.string("--decisions-column") ?? "decisions",
            eventID: arguments.string("--event-id-column") ?? "event_id"
        )
        var windowMs: Int64?
        if let text = arguments.string("--session-window") {
            guard let parsed = Timestamps.duration(text) else {
                throw .usage("--session-window must be a duration such as 30s, 1m, 5m or 1h; got \"\(text)\"")
            }
            windowMs = parsed
        }
        let requestedBatchSize = try arguments.integer("--batch-size", in: 1...10_000) ?? 1_000
        let errorTerminal = Terminal.detect(stream: STDERR_FILENO, environment: context.environment)
        let showProgress = !arguments.flag("--no-progress") && errorTerminal.isInteractive && !context.json
        try arguments.rejectUnknown(positionals: 1)

        let fileName = URL(fileURLWithPath: path).lastPathComponent
        let parsed = try CSVRows.read(path: path, fileName: fileName, columns: columns, sessionWindowMs: windowMs)
        var tally = Tally()
        for failure in parsed.failures {
            tally.rejectedByReason["INVALID_ARGUMENT", default: 0] += 1
            if tally.firstMessageByReason["INVALID_ARGUMENT"] == nil {
                tally.firstMessageByReason["INVALID_ARGUMENT"] = failure
            }
        }

        let client = try await context.connect()
        // Requests stay within the server's batch maximum (tallyd --max-batch-records).
        let serverMax = client.hello.limits.map { Int($0.maxBatchRecords) }.flatMap { $0 == 0 ? nil : $0 } ?? 10_000
        let batchSize = min(requestedBatchSize, serverMax)
        let progress = ImportProgress(total: parsed.rows.count, terminal: showProgress ? errorTerminal : nil,
                                      environment: context.environment)
        var sent = 0
        while sent < parsed.rows.count {
            let batch = parsed.rows[sent..<min(sent + batchSize, parsed.rows.count)]
            let response: RecordUsageResponse
            do {
                response = try await client.recordUsage(RecordUsageRequest(accountID: context.account,
                                                                           records: batch.map(\.record)))
            } catch {
                progress.finish(done: sent)
                throw Context.explain(error, server: context.server)
            }
            guard response.results.count == batch.count else {
                throw .server("INTERNAL: the server returned \(response.results.count) results for \(batch.count) records")
            }
            for (row, result) in zip(batch, response.results) {
                count(result, row: row, into: &tally)
            }
            sent += batch.count
            progress.update(done: sent)
        }
        progress.finish(done: sent)
        report(tally, rows: parsed.rows.count + parsed.failures.count, path: path, failures: parsed.failures, context: context)
    }

    private static func count(_ result: RecordResult, row: Row, into tally: inout Tally) {
        if result.status == .ok {
            if result.duplicate {
                tally.duplicates += 1
            } else {
                tally.accepted += 1
            }
            for notification in result.notifications {
                tally.notifications.append((row.line, row.record.eventID, notification))
            }
            return
        }
        let reason = result.status.name
        tally.rejectedByReason[reason, default: 0] += 1
        if tally.firstMessageByReason[reason] == nil {
            tally.firstMessageByReason[reason] = "line \(row.line): \(result.message)"
        }
    }

    private static func report(_ tally: Tally, rows: Int, path: String, failures: [String], context: Context) {
        if context.json {
            let reasons = tally.rejectedByReason.keys.sorted().map { ($0, JSONValue.unsigned(UInt64(tally.rejectedByReason[$0]!))) }
            let messages = tally.firstMessageByReason.keys.sorted().map { ($0, JSONValue.string(tally.firstMessageByReason[$0]!)) }
            let notifications = tally.notifications.map { entry -> JSONValue in
                guard case .object(var members) = entry.notification.json else { return .null }
                members.insert(("line", .unsigned(UInt64(entry.line))), at: 0)
                members.insert(("event_id", .string(entry.eventID)), at: 1)
                return .object(members)
            }
            print(JSONValue.object([
                ("file", .string(path)),
                ("rows", .unsigned(UInt64(rows))),
                ("accepted", .unsigned(UInt64(tally.accepted))),
                ("duplicates", .unsigned(UInt64(tally.duplicates))),
                ("rejected", .unsigned(UInt64(tally.rejected))),
                ("rejected_by_reason", .object(reasons)),
                ("first_message_by_reason", .object(messages)),
                ("notifications", .array(notifications)),
            ]).rendered())
            return
        }
        print("Imported \(path): \(Formatting.grouped(rows)) rows")
        print("  accepted    \(Formatting.grouped(tally.accepted))")
        print("  duplicates  \(Formatting.grouped(tally.duplicates))")
        print("  rejected    \(Formatting.grouped(tally.rejected))")
        for reason in tally.rejectedByReason.keys.sorted() {
            print("    \(reason): \(Formatting.grouped(tally.rejectedByReason[reason]!)), first: \(tally.firstMessageByReason[reason]!)")
        }
        for entry in tally.notifications {
            let notification = entry.notification
            print("  notification at line \(entry.line): \(notification.resource.noun) reached \(notification.thresholdPercent)% (\(Formatting.grouped(notification.used)) of \(Formatting.grouped(notification.limit)))")
        }
    }
}
