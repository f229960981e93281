import Foundation
import TallyWire

/// The text of `tally records`: a table of records, newest first, and the
/// command for the next page when there is one.
struct RecordsView {
    var records: [StoredRecord]
    var zone: TimeZone
    var zoneName: String
    var terminal: Terminal
    var nextPageToken: String
    /// The command that printed this page, without `--page-token`, to repeat for the next page.
    var command: [String]

    func render() -> String {
        var lines: [String] = []
        if records.isEmpty {
            lines.append("No records in this range.")
        } else {
            let rows = records.map { record in
                [Timestamps.local(record.timestampMs, zone: zone), record.sessionID, Formatting.grouped(record.inputTokens),
                 Formatting.grouped(record.outputTokens), Formatting.grouped(record.totalTokens)]
            }
            let table = Formatting.table(header: ["TIMESTAMP (\(zoneName))", "SESSION", "INPUT", "OUTPUT", "TOTAL"],
                                         rows: rows, rightAligned: [2, 3, 4])
            var tableLines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            tableLines[0] = terminal.paint(tableLines[0], .bold)
            lines += tableLines
        }
        if !nextPageToken.isEmpty {
            let next = (command + ["--page-token", nextPageToken]).map(Self.shellQuoted).joined(separator: " ")
            lines += ["", "More records on the next page: \(terminal.paint(next, .bold))"]
        }
        return lines.joined(separator: "\n")
    }

    /// `word` quoted for a POSIX shell when it holds anything but safe characters.
    static func shellQuoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,+@%")
        if !word.isEmpty && word.allSatisfy({ safe.contains($0) }) {
            return word
        }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
