import Foundation
import Testing

@Suite("Records")
struct RecordsTests {
    @Test("records page with a next-page command")
    func firstPage() throws {
        let server = try TestServer.withSample()
        let arguments = ["records", "--account", "acme", "--limit", "2"]
        try expectGolden(server.tally(arguments).transcript(arguments), "records-page.txt")
    }

    @Test("next-page command prints the rest")
    func nextPage() throws {
        let server = try TestServer.withSample()
        let first = try server.tally(["records", "--account", "acme", "--limit", "2"])
        let command = first.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let prefix = "More records on the next page: tally "
        #expect(command.hasPrefix(prefix), "\(command)")
        let arguments = command.dropFirst(prefix.count).split(separator: " ").map(String.init)
        try expectGolden(server.tally(arguments).transcript(arguments), "records-next-page.txt")
    }

    @Test("all records in UTC on a terminal")
    func allUTC() throws {
        let server = try TestServer.withSample()
        let arguments = ["records", "--account", "acme", "--all", "--utc"]
        try expectGolden(server.tally(arguments, terminal: true).transcript(arguments, environment: "NO_COLOR=1 "), "records-utc.txt")
    }

    @Test("pages follow a lower server page maximum")
    func lowerServerPageMaximum() throws {
        let server = try TestServer.withSample(serverArguments: ["--max-page-size", "3"])
        let firstPage = try server.tally(["records", "--account", "acme", "--json"])
        #expect(firstPage.status == 0, "\(firstPage.stderr)")
        let page = try JSONSerialization.jsonObject(with: Data(firstPage.stdout.utf8)) as? [String: Any]
        #expect((page?["records"] as? [Any])?.count == 3)
        #expect((page?["next_page_token"] as? String)?.isEmpty == false)

        let all = try server.tally(["records", "--account", "acme", "--all", "--json"])
        #expect(all.status == 0, "\(all.stderr)")
        let everything = try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any]
        #expect((everything?["records"] as? [Any])?.count == 4)

        let tooBig = try server.tally(["records", "--account", "acme", "--limit", "4"])
        #expect(tooBig.status == 2)
        #expect(tooBig.stderr == "tally: --limit 4 is over this server's maximum page size of 3 (max_page_size)\n")
    }

    @Test("records JSON keeps its keys")
    func json() throws {
        let server = try TestServer.withSample()
        let arguments = ["records", "--account", "acme", "--limit", "1", "--json"]
        try expectGolden(server.tally(arguments).transcript(arguments), "records-json.txt")
    }
}
