import Glibc
import Testing
@testable import TallyCore

@Suite struct FailureInjectionTests {
    private func run(fault: FaultyFileSystem.Fault, expectedMessagePrefix: String) async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let fileSystem = FaultyFileSystem()
        var options = storage(directory)
        options.fileSystem = fileSystem
        let core = try await MeteringCore.open(configuration: testConfiguration(), storage: options, logger: quietLogger())
        let first = try await core.record(accountID: "tiny", records: [NewRecord(eventID: "a", sessionID: "s1", inputTokens: 70)], nowMs: testNow)
        #expect(first[0].isAccepted)
        let before = try await observe(core)

        fileSystem.set(fault)
        let failed = try await core.record(accountID: "tiny", records: [
            NewRecord(eventID: "b", sessionID: "s2", inputTokens: 20, decisions: 1),
            NewRecord(eventID: "a", sessionID: "s1", inputTokens: 70),
            NewRecord(sessionID: "", inputTokens: 1),
        ], nowMs: testNow)
        let path = directory + "/" + segmentFiles(directory).last!
        #expect(failed[0].rejection == MeteringError(code: .unavailable, message: "\(expectedMessagePrefix) in \(path)"))
        #expect(failed[1] == .duplicate(timestampMs: testNow))
        #expect(failed[2].rejection?.code == .invalidArgument)
        // Reads keep working and show nothing of the failed record or its notification.
        #expect(try await observe(core) == before)

        fileSystem.set(nil)
        let retried = try await core.record(accountID: "tiny", records: [NewRecord(eventID: "b", sessionID: "s2", inputTokens: 20, decisions: 1)], nowMs: testNow)
        #expect(retried[0].isAccepted)
        #expect(retried[0].firedNotifications.map(\.thresholdPercent) == [75, 90])
        let after = try await observe(core)
        #expect(after.summaries[2].records == 2)
        #expect(after.summaries[2].totalTokens == 90)
        await core.close()

        let reopened = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        #expect(try await observe(reopened) == after)
        await reopened.close()
    }

    @Test func writeFailureRejectsAndRecovers() async throws {
        try await run(fault: .write(ENOSPC), expectedMessagePrefix: "write-ahead log write failed: No space left on device (ENOSPC)")
    }

    @Test func syncFailureRejectsAndRecovers() async throws {
        try await run(fault: .sync(EIO), expectedMessagePrefix: "write-ahead log sync failed: Input/output error (EIO)")
    }
}
