import Foundation
import Testing

/// Imports the real Azure traces through a live tallyd with the `tally` CLI
/// and checks every figure against `expected_figures.py`, which computes them
/// from the CSV without Tally's code.
@Suite(.serialized)
struct RealTraceTests {
    static let windowArguments = ["--timestamp-column", "TIMESTAMP", "--input-column", "ContextTokens",
                                  "--output-column", "GeneratedTokens", "--session-window", "1m"]

    static func configuration(adminEntry: String) -> String {
        """
        {"plans": {"free": {"tokens": 500000, "decisions": 5000, "sessions": 100}, "unlimited": {}},
         "accounts": {"lab": {"plan": "unlimited"}, "acme": {"plan": "free"}},
         "keys": [\(adminEntry)]}
        """
    }

    @Test("trace import matches the reference", arguments: [Paths.codeTrace, Paths.convTrace])
    func traceImport(trace: URL) throws {
        let expected = try expectedFigures(for: trace)
        let (key, entry) = try makeKey()
        let server = try ServerProcess(configJSON: Self.configuration(adminEntry: entry))
        let rows = Int(number(expected["records"])!)

        // An account without caps: every row is stored once.
        let first = try server.cli(["import", trace.path, "--account", "lab", "--json"] + Self.windowArguments, apiKey: key)
        #expect(first.status == 0, "\(first.stderr)")
        let firstReport = try first.json()
        #expect(number(firstReport["accepted"]) == UInt64(rows))
        #expect(number(firstReport["duplicates"]) == 0)
        #expect(number(firstReport["rejected"]) == 0)

        let summary = try checkSummary(server: server, key: key, expected: expected)
        try checkPageWalk(server: server, key: key, account: "lab", expectedEventIDs: expected["event_ids"] as! [String])

        // The same file again: every row is a duplicate and nothing changes.
        let second = try server.cli(["import", trace.path, "--account", "lab", "--json"] + Self.windowArguments, apiKey: key)
        #expect(second.status == 0, "\(second.stderr)")
        let secondReport = try second.json()
        #expect(number(secondReport["accepted"]) == 0)
        #expect(number(secondReport["duplicates"]) == UInt64(rows))
        #expect(number(secondReport["rejected"]) == 0)
        #expect(try server.cli(["summary", "--account", "lab", "--json"], apiKey: key).stdout == summary)

        // A free-plan account: the token cap stops the import part way.
        let quotaBefore = try checkFreePlan(server: server, key: key, trace: trace, expected: expected)
        let recordsBefore = try server.cli(["records", "--account", "acme", "--all", "--json"], apiKey: key).stdout

        // After a clean restart, then a kill -9 restart, every reply is unchanged.
        for signal in [SIGTERM, SIGKILL] {
            server.stop(signal: signal)
            try server.start()
            #expect(try server.cli(["summary", "--account", "lab", "--json"], apiKey: key).stdout == summary,
                    "summary changed after a restart with signal \(signal)")
            #expect(try server.cli(["quota", "--account", "acme", "--at", "2023-11-16T19:00:00Z", "--json"], apiKey: key).stdout == quotaBefore,
                    "quota changed after a restart with signal \(signal)")
            #expect(try server.cli(["records", "--account", "acme", "--all", "--json"], apiKey: key).stdout == recordsBefore,
                    "records changed after a restart with signal \(signal)")
        }
    }

    /// Checks the all-time summary of "lab" and returns its JSON text.
    private func checkSummary(server: ServerProcess, key: String, expected: [String: Any]) throws -> String {
        let result = try server.cli(["summary", "--account", "lab", "--range", "all", "--json"], apiKey: key)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try result.json()
        for field in ["total_tokens", "input_tokens", "output_tokens", "sessions_used", "records"] {
            #expect(number(summary[field]) == number(expected[field]), "field \(field)")
        }
        let sessions = summary["sessions"] as! [[String: Any]]
        let expectedSessions = expected["sessions"] as! [[String: Any]]
        #expect(sessions.count == expectedSessions.count)
        for (row, expectedRow) in zip(sessions, expectedSessions) {
            #expect(row["session_id"] as? String == expectedRow["session_id"] as? String)
            for field in ["input_tokens", "output_tokens", "total_tokens", "records"] {
                #expect(number(row[field]) == number(expectedRow[field]), "session \(expectedRow["session_id"]!) field \(field)")
            }
        }
        return result.stdout
    }

    /// Walks the records a page at a time and checks that each appears once, newest first.
    private func checkPageWalk(server: ServerProcess, key: String, account: String, expectedEventIDs: [String]) throws {
        var token = ""
        var seen: [String] = []
        var previousTimestamp = Int64.max
        var pages = 0
        repeat {
            var arguments = ["records", "--account", account, "--limit", "997", "--json"]
            if !token.isEmpty { arguments += ["--page-token", token] }
            let result = try server.cli(arguments, apiKey: key)
            #expect(result.status == 0, "\(result.stderr)")
            let page = try result.json()
            for record in page["records"] as! [[String: Any]] {
                let timestamp = (record["timestamp_ms"] as! NSNumber).int64Value
                #expect(timestamp <= previousTimestamp, "records are not newest first")
                previousTimestamp = timestamp
                seen.append(record["event_id"] as! String)
            }
            token = page["next_page_token"] as! String
            pages += 1
        } while !token.isEmpty && pages < 1_000
        #expect(seen.count == expectedEventIDs.count)
        #expect(Set(seen).count == seen.count, "a record appeared twice in the page walk")
        #expect(Set(seen) == Set(expectedEventIDs))
        #expect(pages == (expectedEventIDs.count + 996) / 997)
    }

    /// Imports into the free-plan account and checks accepted rows,
    /// notifications and the quota; returns the quota JSON text.
    private func checkFreePlan(server: ServerProcess, key: String, trace: URL, expected: [String: Any]) throws -> String {
        let plan = expected["free_plan"] as! [String: Any]
        let acceptedLines = plan["accepted_lines"] as! [Int]
        let rejectedLines = plan["rejected_lines"] as! [Int]
        let expectedNotifications = plan["notifications"] as! [[String: Any]]

        let result = try server.cli(["import", trace.path, "--account", "acme", "--json"] + Self.windowArguments, apiKey: key)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try result.json()
        #expect(number(report["accepted"]) == UInt64(acceptedLines.count))
        #expect(number(report["rejected"]) == UInt64(rejectedLines.count))
        let reasons = report["rejected_by_reason"] as! [String: Any]
        #expect(reasons.keys.sorted() == ["RESOURCE_EXHAUSTED"])
        #expect(number(reasons["RESOURCE_EXHAUSTED"]) == UInt64(rejectedLines.count))
        let firstMessage = (report["first_message_by_reason"] as! [String: String])["RESOURCE_EXHAUSTED"] ?? ""
        #expect(firstMessage.hasPrefix("line \(rejectedLines[0]): "), "\(firstMessage)")
        #expect(firstMessage.contains("500,000"), "\(firstMessage)")
        #expect(firstMessage.contains("2023-12-01T00:00:00Z"), "\(firstMessage)")

        let notifications = report["notifications"] as! [[String: Any]]
        #expect(notifications.count == expectedNotifications.count)
        for (got, want) in zip(notifications, expectedNotifications) {
            #expect(got["line"] as? Int == want["line"] as? Int)
            #expect(got["resource"] as? String == want["resource"] as? String)
            #expect(number(got["threshold_percent"]) == number(want["threshold_percent"]))
            #expect(number(got["used"]) == number(want["used"]))
            #expect(number(got["crossed_at_ms"]) == number(want["crossed_at_ms"]))
        }

        // Exactly the accepted rows are stored: their event ids are FILE:LINE.
        let records = try server.cli(["records", "--account", "acme", "--all", "--json"], apiKey: key)
        let stored = (try records.json()["records"] as! [[String: Any]]).map { $0["event_id"] as! String }
        let fileName = trace.lastPathComponent
        #expect(Set(stored) == Set(acceptedLines.map { "\(fileName):\($0)" }))
        #expect(stored.count == acceptedLines.count)

        let quota = try server.cli(["quota", "--account", "acme", "--at", "2023-11-16T19:00:00Z", "--json"], apiKey: key)
        #expect(quota.status == 0, "\(quota.stderr)")
        let status = try quota.json()
        #expect(status["plan"] as? String == "free")
        #expect(number(status["period_start_ms"]) == 1_698_796_800_000)
        #expect(number(status["period_end_ms"]) == 1_701_388_800_000)
        let tokens = (status["resources"] as! [[String: Any]])[0]
        #expect(tokens["resource"] as? String == "RESOURCE_TOKENS")
        #expect(number(tokens["used"]) == number(plan["tokens_used"]))
        #expect(number(tokens["limit"]) == 500_000)
        #expect(number(tokens["remaining"]) == 0)
        #expect(tokens["exhausted"] as? Bool == true)
        let fired = status["notifications"] as! [[String: Any]]
        #expect(fired.map { number($0["threshold_percent"]) } == expectedNotifications.map { number($0["threshold_percent"]) })
        return quota.stdout
    }
}
