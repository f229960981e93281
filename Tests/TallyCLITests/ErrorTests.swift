import Foundation
import Testing

@Suite("Errors and exit status")
struct ErrorTests {
    @Test("usage errors exit 2 and name the value")
    func usage() throws {
        let server = try TestServer()
        let cases: [[String]] = [
            ["summary", "--range", "week"],
            ["summary", "--bogus"],
            ["summary", "--top", "0"],
            ["records", "--from", "2025-12-01"],
            ["record", "--input", "5"],
            ["quota", "--at", "yesterday"],
            ["--time-zone", "Mars/Olympus", "summary"],
            ["frobnicate"],
            ["completion", "tcsh"],
            ["summary", "extra"],
            ["record", "extra", "--session", "a", "--input", "1"],
            ["records", "--limit", "5", "--all"],
        ]
        var text = ""
        for arguments in cases {
            let result = try server.tally(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout == "", "\(arguments)")
            text += result.transcript(arguments)
        }
        try expectGolden(text, "errors-usage.txt")
    }

    @Test("stray argument stores nothing; JSON keeps --top")
    func extraArgumentStoresNothing() throws {
        let server = try TestServer()
        let rejected = try server.tally(["record", "extra", "--session", "a", "--input", "1", "--account", "acme"])
        #expect(rejected.status == 2)
        for session in ["a", "b", "c"] {
            #expect(try server.tally(["record", "--session", session, "--input", "1", "--account", "acme"]).status == 0)
        }
        let summary = try server.tally(["summary", "--account", "acme", "--top", "2", "--json"])
        #expect(summary.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any]
        #expect((json?["records"] as? Int) == 3)
        #expect((json?["sessions_used"] as? Int) == 3)
        #expect((json?["sessions"] as? [Any])?.count == 2)
    }

    @Test("server errors exit 1")
    func server() throws {
        let server = try TestServer()
        let missingKey = try tally(["summary", "--account", "acme"], server: server.address)
        #expect(missingKey.status == 1)
        let unknownAccount = try server.tally(["quota", "--account", "nobody"])
        #expect(unknownAccount.status == 1)
        let missingFile = try server.tally(["import", "/nonexistent/usage.csv"])
        #expect(missingFile.status == 1)
        let text = missingKey.transcript(["summary", "--account", "acme"])
            + unknownAccount.transcript(["quota", "--account", "nobody"])
            + missingFile.transcript(["import", "/nonexistent/usage.csv"])
        try expectGolden(text, "errors-server.txt")
    }

    @Test("unreachable server names the address and how to start tallyd")
    func unreachable() throws {
        let server = try TestServer()
        let address = server.address
        server.stop()
        let result = try tally(["summary"], server: address)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        let port = address.split(separator: ":").last.map(String.init) ?? ""
        let text = result.transcript(["summary"], environment: "TALLY_SERVER=127.0.0.1:PORT ")
            .replacingOccurrences(of: address, with: "127.0.0.1:PORT")
            .replacingOccurrences(of: ":\(port) ", with: ":PORT ")
        try expectGolden(text, "errors-unreachable.txt")
    }
}
