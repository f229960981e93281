import Foundation
import TallyWire

/// The text of `tally summary`: the four figures, the range, the top sessions
/// and the input/output share. On a terminal the sessions and the share are
/// bars; elsewhere they are a table and percentages.
struct SummaryView {
    var summary: GetSummaryResponse
    var zone: TimeZone
    var zoneName: String
    var terminal: Terminal
    /// Print session ids in full instead of shortening them to `idLimit`.
    var wide: Bool

    /// Characters a session id may take before its middle is cut.
    static let idLimit = 24

    func render() -> String {
        var lines = [title(), ""]
        lines += terminal.isInteractive ? figureStrip() : figureTable()
        guard summary.totalTokens > 0 || !summary.sessions.isEmpty else {
            lines += ["", "No records in this range."]
            return lines.joined(separator: "\n")
        }
        lines.append("")
        lines += terminal.isInteractive ? sessionChart() : sessionTable()
        lines.append("")
        lines += share()
        return lines.joined(separator: "\n")
    }

    private func title() -> String {
        let range: String
        if summary.startMs == 0 && summary.endMs == Int64.max {
            range = "all time"
        } else {
            range = "\(Timestamps.local(summary.startMs, zone: zone)) to \(Timestamps.local(summary.endMs, zone: zone)) (\(zoneName))"
        }
        return terminal.paint("Usage, \(range)", .bold) + ": \(Formatting.grouped(summary.records)) record\(summary.records == 1 ? "" : "s")"
    }

    private var figures: [(String, UInt64)] {
        [("Total tokens", summary.totalTokens), ("Input tokens", summary.inputTokens),
         ("Output tokens", summary.outputTokens), ("Sessions used", summary.sessionsUsed)]
    }

    /// The four figures side by side, each value right-aligned under its label.
    private func figureStrip() -> [String] {
        var labels = ""
        var values = ""
        for (label, value) in figures {
            let text = Formatting.grouped(value)
            let width = max(label.count, text.count)
            labels += "  " + terminal.paint(Formatting.padLeft(label, width), .dim) + "  "
            values += "  " + terminal.paint(Formatting.padLeft(text, width), .bold) + "  "
        }
        return [labels.trimmingTrailingSpaces(), values.trimmingTrailingSpaces()]
    }

    private func figureTable() -> [String] {
        let rows = (figures + [("Records", summary.records)]).map { [$0.0, Formatting.grouped($0.1)] }
        let width = rows.map { $0[1].count }.max() ?? 0
        return rows.map { Formatting.padRight($0[0], 15) + Formatting.padLeft($0[1], width) }
    }

    private var sessionHeading: String {
        "Top \(summary.sessions.count) of \(Formatting.grouped(summary.sessionsUsed)) sessions by total tokens"
    }

    private func label(_ session: SessionUsage) -> String {
        wide ? session.sessionID : Formatting.shortened(session.sessionID, to: Self.idLimit)
    }

    /// One stacked bar per session, scaled to the largest total, with the exact counts beside it.
    private func sessionChart() -> [String] {
        let sessions = summary.sessions
        let labelWidth = sessions.map { label($0).count }.max() ?? 0
        let inputs = sessions.map { Formatting.grouped($0.inputTokens) }
        let outputs = sessions.map { Formatting.grouped($0.outputTokens) }
        let totals = sessions.map { Formatting.grouped($0.totalTokens) }
        let inputWidth = inputs.map(\.count).max() ?? 0
        let outputWidth = outputs.map(\.count).max() ?? 0
        let totalWidth = totals.map(\.count).max() ?? 0
        // "  label  bar  I in + O out = T"
        let countsWidth = inputWidth + 6 + outputWidth + 7 + totalWidth
        let barWidth = min(max(terminal.width - 2 - labelWidth - 2 - 2 - countsWidth, 10), 50)
        let scale = sessions.map(\.totalTokens).max() ?? 0

        let legend = terminal.paint(String(BarChart.input.glyph), BarChart.input.style) + " input  "
            + terminal.paint(String(BarChart.output.glyph), BarChart.output.style) + " output"
        var lines = [terminal.paint(sessionHeading, .bold) + "   " + legend]
        for (index, session) in sessions.enumerated() {
            let bar = BarChart.stacked([
                .init(value: session.inputTokens, glyph: BarChart.input.glyph, style: BarChart.input.style),
                .init(value: session.outputTokens, glyph: BarChart.output.glyph, style: BarChart.output.style),
            ], scale: scale, width: barWidth, terminal: terminal)
            let counts = Formatting.padLeft(inputs[index], inputWidth) + " in + " + Formatting.padLeft(outputs[index], outputWidth)
                + " out = " + Formatting.padLeft(totals[index], totalWidth)
            lines.append("  " + Formatting.padRight(label(session), labelWidth) + "  " + bar + "  " + counts)
        }
        return lines
    }

    private func sessionTable() -> [String] {
        let rows = summary.sessions.map { session in
            [label(session), Formatting.grouped(session.inputTokens), Formatting.grouped(session.outputTokens),
             Formatting.grouped(session.totalTokens), Formatting.grouped(session.records)]
        }
        return [sessionHeading,
                Formatting.table(header: ["SESSION", "INPUT", "OUTPUT", "TOTAL", "RECORDS"], rows: rows, rightAligned: [1, 2, 3, 4])]
    }

    /// The input/output share in percent, as a bar on a terminal.
    private func share() -> [String] {
        guard let inputTenths = Formatting.tenthsOfPercent(summary.inputTokens, of: summary.totalTokens) else {
            return ["Input/output share: no tokens in this range"]
        }
        let input = Formatting.percent(tenths: inputTenths)
        let output = Formatting.percent(tenths: 1000 - inputTenths)
        guard terminal.isInteractive else {
            return ["Input/output share: \(input) input, \(output) output"]
        }
        let barWidth = min(max(terminal.width - 2 - 6 - input.count - 2 - 2 - output.count - 7, 10), 50)
        let bar = BarChart.stacked([
            .init(value: summary.inputTokens, glyph: BarChart.input.glyph, style: BarChart.input.style),
            .init(value: summary.outputTokens, glyph: BarChart.output.glyph, style: BarChart.output.style),
        ], scale: summary.totalTokens, width: barWidth, terminal: terminal)
        return [terminal.paint("Input/output share", .bold),
                "  input " + input + "  " + bar + "  " + output + " output"]
    }
}
