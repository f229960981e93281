import Foundation
import TallyWire

/// The text of `tally quota`: each resource's usage against its cap, when the
/// period resets, which caps are reached and the notifications fired.
struct QuotaView {
    var quota: GetQuotaResponse
    var zone: TimeZone
    var zoneName: String
    var terminal: Terminal
    /// The current time, Unix milliseconds, for "in 25 days" figures.
    var nowMs: Int64
    /// The session asked about with `--session`, or empty.
    var session: String

    /// Percentages marked on the gauges.
    static let marks = [75, 90]

    func render() -> String {
        let reset = "\(Timestamps.local(quota.periodEndMs, zone: zone)) (\(zoneName))"
        let until = Formatting.relative(quota.periodEndMs, now: nowMs)
        var lines = [
            terminal.paint("Quota of \(quota.accountID), plan \(quota.plan)", .bold),
            "Period \(Timestamps.local(quota.periodStartMs, zone: zone)) to \(reset)",
            "",
        ]
        lines += resourceLines()
        lines.append("")
        if quota.periodEndMs > nowMs {
            lines.append("Resets \(reset), \(until).")
            for resource in quota.resources where resource.exhausted {
                lines.append(terminal.paint(capReached(resource, until: "the reset, \(until)"), .boldRed))
            }
        } else {
            // A past period (from --at): its caps no longer hold anything back.
            lines.append("This period ended \(reset), \(until).")
            for resource in quota.resources where resource.exhausted {
                lines.append("The \(resource.resource.noun) cap was reached in this period (\(Formatting.grouped(resource.used)) of \(Formatting.grouped(resource.limit))).")
            }
        }
        if !quota.notifications.isEmpty {
            lines += ["", terminal.paint("Notifications this period", .bold)]
            lines += notificationLines()
        }
        if !session.isEmpty {
            lines.append("")
            lines.append(quota.sessionAllowed
                ? "Session \(session) may act now."
                : "Session \(session) may not act now: \(quota.sessionDeniedReason)")
        }
        return lines.joined(separator: "\n")
    }

    /// One line per resource: used / limit, the gauge on a terminal, percent, remaining, state.
    private func resourceLines() -> [String] {
        let resources = quota.resources
        let names = resources.map(\.resource.noun)
        let used = resources.map { Formatting.grouped($0.used) }
        let limits = resources.map { $0.unlimited ? "unlimited" : Formatting.grouped($0.limit) }
        let percents = resources.map { $0.unlimited ? "" : Formatting.wholePercent($0.used, of: $0.limit) }
        let remaining = resources.map { $0.unlimited ? "no cap" : "\(Formatting.grouped($0.remaining)) left" }
        let nameWidth = names.map(\.count).max() ?? 0
        let usedWidth = used.map(\.count).max() ?? 0
        let limitWidth = limits.map(\.count).max() ?? 0
        let percentWidth = percents.map(\.count).max() ?? 0
        let remainingWidth = remaining.map(\.count).max() ?? 0
        let fixed = 2 + nameWidth + 2 + usedWidth + 3 + limitWidth + 2 + 2 + percentWidth + 2 + remainingWidth + 13
        let barWidth = min(max(terminal.width - fixed, 10), 40)
        // Gauges only when a cap exists: an unlimited plan has nothing to fill.
        let drawsGauges = terminal.isInteractive && resources.contains { !$0.unlimited }

        var lines: [String] = []
        for (index, resource) in resources.enumerated() {
            var line = "  " + Formatting.padRight(names[index], nameWidth) + "  "
                + Formatting.padLeft(used[index], usedWidth) + " / " + Formatting.padRight(limits[index], limitWidth)
            if drawsGauges {
                let bar = resource.unlimited
                    ? String(repeating: " ", count: barWidth)
                    : BarChart.gauge(used: resource.used, limit: resource.limit, marks: Self.marks, width: barWidth, terminal: terminal)
                line += "  " + bar
            }
            line += "  " + Formatting.padLeft(percents[index], percentWidth) + "  " + Formatting.padRight(remaining[index], remainingWidth)
            if resource.exhausted {
                line += "  " + terminal.paint("cap reached", .boldRed)
            }
            lines.append(line.trimmingTrailingSpaces())
        }
        if drawsGauges {
            let indent = 2 + nameWidth + 2 + usedWidth + 3 + limitWidth + 2
            lines.append(String(repeating: " ", count: indent) + terminal.paint("┊ marks 75% and 90% of the cap", .dim))
        }
        return lines
    }

    /// A plain sentence saying which records are rejected and until when.
    private func capReached(_ resource: ResourceQuota, until: String) -> String {
        let cap = "The \(resource.resource.noun) cap is reached (\(Formatting.grouped(resource.used)) of \(Formatting.grouped(resource.limit)))"
        switch resource.resource {
        case .sessions:
            return "\(cap): records for new sessions are rejected until \(until). Sessions already used this period may go on."
        case .tokens:
            return "\(cap): records with tokens are rejected until \(until)."
        case .decisions:
            return "\(cap): records with decisions are rejected until \(until)."
        case .unspecified, .unrecognized:
            return "\(cap): records that need it are rejected until \(until)."
        }
    }

    private func notificationLines() -> [String] {
        let rows = quota.notifications.map { notification in
            [Timestamps.local(notification.crossedAtMs, zone: zone), notification.resource.noun,
             "\(notification.thresholdPercent)%",
             "\(Formatting.grouped(notification.used)) of \(Formatting.grouped(notification.limit))"]
        }
        let table = Formatting.table(header: ["TIME (\(zoneName))", "RESOURCE", "REACHED", "USED"], rows: rows, rightAligned: [2])
        return table.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
    }
}
