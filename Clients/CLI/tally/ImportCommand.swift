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
        let batchSize = try arguments.integer("--batch-size", in: 1...10_000) ?? 1_000
        let showProgress = !arguments.flag("--no-progress") && isatty(STDERR_FILENO) == 1 && !context.json
        try arguments.rejectUnknown()

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
        let progress = Progress(total: parsed.rows.count, enabled: showProgress)
        var sent = 0
        while sent < parsed.rows.count {
            let batch = parsed.rows[sent..<min(sent + batchSize, parsed.rows.count)]
            let response: RecordUsageResponse
            do {
                response = try await client.recordUsage(RecordUsageRequest(accountID: context.account,
                                                                           records: batch.map(\.record)))
            } catch {
                progress.finish()
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
        progress.finish()
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

/// Column names for `tally import`.
struct ColumnNames {
    var timestamp: String
    /// nil means the default `session_id`, or session windows when `--session-window` is given.
    var session: String?
    var input: String
    var output: String
    var decisions: String
    var eventID: String
}

/// Reads a CSV file into records.
enum CSVRows {
    static func read(path: String, fileName: String, columns: ColumnNames,
                     sessionWindowMs: Int64?) throws(CLIError) -> (rows: [ImportCommand.Row], failures: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .failure("cannot read \(path): no such file or not readable")
        }
        var reader = CSVReader(bytes: Array(data))
        guard let header = try reader.nextRow()?.fields else {
            throw .failure("\(path) is empty; expected a header line such as timestamp,session_id,input_tokens,output_tokens")
        }
        func find(_ name: String) -> Int? {
            header.firstIndex(of: name) ?? header.firstIndex { $0.lowercased() == name.lowercased() }
        }
        func require(_ name: String, option: String) throws(CLIError) -> Int {
            guard let index = find(name) else {
                throw .usage("\(path) has no column \"\(name)\" (columns: \(header.joined(separator: ", "))); name it with \(option)")
            }
            return index
        }
        let timestampColumn = try require(columns.timestamp, option: "--timestamp-column")
        let inputColumn = try require(columns.input, option: "--input-column")
        let outputColumn = try require(columns.output, option: "--output-column")
        let decisionsColumn = find(columns.decisions)
        let eventColumn = find(columns.eventID)
        var sessionColumn: Int?
        if let name = columns.session {
            sessionColumn = try require(name, option: "--session-column")
        } else if sessionWindowMs == nil {
            guard let index = find("session_id") else {
                throw .usage("\(path) has no column \"session_id\" (columns: \(header.joined(separator: ", "))); name it with --session-column, or group rows into sessions with --session-window 1m")
            }
            sessionColumn = index
        }

        let utc = TimeZone(identifier: "UTC")!
        var rows: [ImportCommand.Row] = []
        var failures: [String] = []
        while let (line, fields) = try reader.nextRow() {
            if fields.count == 1 && fields[0].isEmpty { continue }
            func field(_ index: Int) -> String { index < fields.count ? fields[index].trimmingCharacters(in: .whitespaces) : "" }
            guard let timestamp = Timestamps.parse(field(timestampColumn), zone: utc) else {
                failures.append("line \(line): \(header[timestampColumn]) \"\(field(timestampColumn))\" is not an ISO 8601 time")
                continue
            }
            guard let input = UInt64(field(inputColumn)) else {
                failures.append("line \(line): \(header[inputColumn]) \"\(field(inputColumn))\" is not a whole number of tokens")
                continue
            }
            guard let output = UInt64(field(outputColumn)) else {
                failures.append("line \(line): \(header[outputColumn]) \"\(field(outputColumn))\" is not a whole number of tokens")
                continue
            }
            var decisions: UInt64 = 0
            if let decisionsColumn, !field(decisionsColumn).isEmpty {
                guard let value = UInt64(field(decisionsColumn)) else {
                    failures.append("line \(line): \(header[decisionsColumn]) \"\(field(decisionsColumn))\" is not a whole number")
                    continue
                }
                decisions = value
            }
            let session: String
            if let sessionColumn {
                session = field(sessionColumn)
            } else {
                let window = sessionWindowMs!
                session = Timestamps.isoUTC(timestamp - ((timestamp % window) + window) % window)
            }
            var eventID = eventColumn.map(field) ?? ""
            if eventID.isEmpty {
                eventID = "\(fileName):\(line)"
            }
            rows.append(.init(line: line, record: UsageRecord(eventID: eventID, sessionID: session, timestampMs: timestamp,
                                                              inputTokens: input, outputTokens: output, decisions: decisions)))
        }
        return (rows, failures)
    }
}

/// A progress line on standard error, redrawn at most ten times a second.
final class Progress {
    private let total: Int
    private let enabled: Bool
    private let startedAt = Date()
    private var lastDrawn = Date.distantPast

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(done: Int) {
        guard enabled, Date().timeIntervalSince(lastDrawn) >= 0.1 || done == total else { return }
        lastDrawn = Date()
        let elapsed = max(Date().timeIntervalSince(startedAt), 0.001)
        let rate = Double(done) / elapsed
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let line = "\r[\(bar)] \(Formatting.grouped(done))/\(Formatting.grouped(total)) rows  \(Formatting.grouped(Int(rate))) rows/s  \(Int(remaining.rounded())) s left "
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
