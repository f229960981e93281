import Foundation
import TallyWire

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
