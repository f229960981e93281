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

    @Test("records JSON keeps its keys")
    func json() throws {
        let server = try TestServer.withSample()
        let arguments = ["records", "--account", "acme", "--limit", "1", "--json"]
        try expectGolden(server.tally(arguments).transcript(arguments), "records-json.txt")
    }
}
