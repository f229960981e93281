import Testing

@Suite("Record")
struct RecordTests {
    @Test("record and its duplicate")
    func recordTwice() throws {
        let server = try TestServer()
        let arguments = ["record", "--account", "acme", "--session", "build-42", "--input", "1200", "--output", "340",
                         "--event-id", "run7-step3", "--timestamp", "2025-12-04T10:00:00Z"]
        let first = try server.tally(arguments)
        let second = try server.tally(arguments)
        #expect(first.status == 0)
        #expect(second.status == 0)
        try expectGolden(first.transcript(arguments) + second.transcript(arguments), "record.txt")
    }
}
