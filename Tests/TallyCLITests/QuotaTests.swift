import Testing

@Suite("Quota")
struct QuotaTests {
    @Test("quota with reached caps in plain mode")
    func plain() throws {
        let server = try TestServer.withSample()
        let arguments = ["quota", "--account", "acme", "--session", "build-43"]
        try expectGolden(server.tally(arguments).transcript(arguments), "quota-plain.txt")
    }

    @Test("quota with reached caps on a terminal")
    func terminal() throws {
        let server = try TestServer.withSample()
        let arguments = ["quota", "--account", "acme"]
        try expectGolden(server.tally(arguments, terminal: true).transcript(arguments, environment: "NO_COLOR=1 "), "quota-terminal.txt")
    }

    @Test("quota below the marks on a terminal")
    func belowMarks() throws {
        let server = try TestServer()
        let record = try server.tally(["record", "--account", "acme", "--session", "s1", "--input", "2000", "--output", "100",
                                       "--timestamp", "2025-12-04T10:00:00Z"])
        #expect(record.status == 0, "\(record.stderr)")
        let arguments = ["quota", "--account", "acme"]
        try expectGolden(server.tally(arguments, terminal: true).transcript(arguments, environment: "NO_COLOR=1 "), "quota-below-marks.txt")
    }

    @Test("quota of an unlimited plan")
    func unlimited() throws {
        let server = try TestServer()
        let arguments = ["quota", "--account", "lab"]
        try expectGolden(server.tally(arguments, terminal: true).transcript(arguments, environment: "NO_COLOR=1 "), "quota-unlimited.txt")
    }

    @Test("quota JSON keeps its keys")
    func json() throws {
        let server = try TestServer.withSample()
        let arguments = ["quota", "--account", "acme", "--json"]
        try expectGolden(server.tally(arguments).transcript(arguments), "quota-json.txt")
    }
}
