import Testing

@Suite("Summary")
struct SummaryTests {
    @Test("summary in plain mode")
    func plain() throws {
        let server = try TestServer.withSample()
        let arguments = ["summary", "--account", "acme"]
        try expectGolden(server.tally(arguments).transcript(arguments), "summary-plain.txt")
    }

    @Test("summary on a terminal without colour")
    func terminal() throws {
        let server = try TestServer.withSample()
        let arguments = ["summary", "--account", "acme"]
        try expectGolden(server.tally(arguments, terminal: true).transcript(arguments, environment: "NO_COLOR=1 "), "summary-terminal.txt")
    }

    @Test("summary on a terminal in colour")
    func color() throws {
        let server = try TestServer.withSample()
        let arguments = ["summary", "--account", "acme", "--top", "2"]
        try expectGolden(server.tally(arguments, color: true).transcript(arguments), "summary-color.txt")
    }

    @Test("summary with --top and --wide over a date range")
    func topWide() throws {
        let server = try TestServer.withSample()
        let arguments = ["summary", "--account", "acme", "--from", "2025-12-02", "--to", "2025-12-04", "--top", "1", "--wide"]
        try expectGolden(server.tally(arguments, terminal: true).transcript(arguments, environment: "NO_COLOR=1 "), "summary-top-wide.txt")
    }

    @Test("summary of an empty range")
    func empty() throws {
        let server = try TestServer.withSample()
        let arguments = ["summary", "--account", "acme", "--range", "today"]
        try expectGolden(server.tally(arguments, terminal: true).transcript(arguments, environment: "NO_COLOR=1 "), "summary-empty.txt")
    }

    @Test("summary JSON keeps its keys")
    func json() throws {
        let server = try TestServer.withSample()
        let arguments = ["summary", "--account", "acme", "--json"]
        let plain = try server.tally(arguments)
        let terminal = try server.tally(arguments, color: true)
        #expect(terminal.stdout == plain.stdout)
        try expectGolden(plain.transcript(arguments), "summary-json.txt")
    }
}
