import Glibc
import Foundation
import Testing
@testable import TallyCore

@Suite("Recording many requests in one call")
struct BatchRecordTests {
    /// Requests for every test account, an unknown account and an oversized batch, with
    /// duplicates, conflicting event ids, invalid records and enough usage to hit the tiny plan's caps.
    static func requests(seed: Int) -> [(accountID: String, records: [NewRecord])] {
        var requests: [(accountID: String, records: [NewRecord])] = []
        let accounts = ["acme", "big", "tiny", "berlin", "nobody"]
        for round in 0 ..< 40 {
            let account = accounts[(round * 7 + seed) % accounts.count]
            var records: [NewRecord] = []
            for index in 0 ..< (round % 5) + 1 {
                let eventID = index % 2 == 0 ? "e\(round % 3)-\(index)" : ""
                let sessionID = index == 3 ? "" : "s\(index)"
                let input: UInt64 = round % 9 == 0 ? 7 : UInt64(3 + index)
                let timestamp = testNow - Int64(index) * 60_000
                records.append(NewRecord(eventID: eventID, sessionID: sessionID, timestampMs: timestamp, inputTokens: input, outputTokens: UInt64(index), decisions: UInt64(index % 2)))
            }
            requests.append((account, records))
        }
        requests.insert(("big", Array(repeating: NewRecord(sessionID: "s"), count: Limits.maxRecordsPerBatch + 1)), at: 11)
        return requests
    }

    @Test("batch results equal serial results", arguments: [0, 1, 2])
    func batchEqualsSerial(seed: Int) async throws {
        let requests = Self.requests(seed: seed)

        let serialDirectory = makeTemporaryDirectory()
        defer { removeDirectory(serialDirectory) }
        let serialCore = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(serialDirectory, shards: 3), logger: quietLogger())
        var serial: [Result<[RecordOutcome], MeteringError>] = []
        for request in requests {
            do throws(MeteringError) {
                serial.append(.success(try await serialCore.record(accountID: request.accountID, records: request.records, nowMs: testNow)))
            } catch {
                serial.append(.failure(error))
            }
        }
        let serialState = try await observe(serialCore)
        await serialCore.close()

        let batchDirectory = makeTemporaryDirectory()
        defer { removeDirectory(batchDirectory) }
        let batchCore = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(batchDirectory, shards: 3), logger: quietLogger())
        let batched = await batchCore.record(batch: requests, nowMs: testNow)
        let batchState = try await observe(batchCore)
        await batchCore.stopWithoutSnapshot()

        #expect(batched.count == requests.count)
        for (position, (left, right)) in zip(batched, serial).enumerated() {
            #expect(left == right, "request \(position) for \(requests[position].accountID)")
        }
        #expect(batchState == serialState)

        // The log alone must rebuild the same state.
        let reopened = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(batchDirectory, shards: 2), logger: quietLogger())
        #expect(try await observe(reopened) == serialState)
        await reopened.close()
    }

    @Test("batch results cover every outcome kind")
    func batchCoversOutcomeKinds() async throws {
        let requests = Self.requests(seed: 0)
        try await withCore { core in
            let results = await core.record(batch: requests, nowMs: testNow)
            var kinds: Set<String> = []
            for result in results {
                switch result {
                case let .failure(error):
                    kinds.insert("failure \(error.code)")
                case let .success(outcomes):
                    for outcome in outcomes {
                        switch outcome {
                        case .accepted: kinds.insert("accepted")
                        case .duplicate: kinds.insert("duplicate")
                        case let .rejected(error): kinds.insert("rejected \(error.code)")
                        }
                    }
                }
            }
            #expect(kinds == ["accepted", "duplicate", "failure notFound", "failure invalidArgument", "rejected invalidArgument", "rejected alreadyExists", "rejected resourceExhausted"])
        }
    }

    @Test("empty batch returns no results")
    func emptyBatch() async throws {
        try await withCore { core in
            let results = await core.record(batch: [], nowMs: testNow)
            #expect(results.isEmpty)
        }
    }

    @Test("batch during a write failure stores nothing and recovers")
    func batchDuringWriteFailure() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let fileSystem = FaultyFileSystem()
        var options = storage(directory, shards: 1)
        options.fileSystem = fileSystem
        let core = try await MeteringCore.open(configuration: testConfiguration(), storage: options, logger: quietLogger())
        _ = try await core.record(accountID: "big", records: [NewRecord(eventID: "kept", sessionID: "s1", inputTokens: 5)], nowMs: testNow)
        let before = try await observe(core)

        fileSystem.set(.write(ENOSPC))
        let requests: [(accountID: String, records: [NewRecord])] = [
            ("big", [NewRecord(eventID: "x1", sessionID: "s1", inputTokens: 1), NewRecord(eventID: "kept", sessionID: "s1", inputTokens: 5)]),
            ("acme", [NewRecord(sessionID: "s2", outputTokens: 2)]),
            ("big", [NewRecord(sessionID: "s3", decisions: 1)]),
        ]
        let failed = await core.record(batch: requests, nowMs: testNow)
        let path = directory + "/" + segmentFiles(directory).last!
        let unavailable = MeteringError(code: .unavailable, message: "write-ahead log write failed: No space left on device (ENOSPC) in \(path)")
        #expect(failed.count == 3)
        #expect(try failed[0].get() == [.rejected(unavailable), .duplicate(timestampMs: testNow)])
        #expect(try failed[1].get() == [.rejected(unavailable)])
        #expect(try failed[2].get() == [.rejected(unavailable)])
        #expect(try await observe(core) == before)

        fileSystem.set(nil)
        let retried = await core.record(batch: requests, nowMs: testNow)
        #expect(try retried[0].get() == [.accepted(timestampMs: testNow, notifications: []), .duplicate(timestampMs: testNow)])
        #expect(try retried[1].get().map(\.isAccepted) == [true])
        #expect(try retried[2].get() == [.accepted(timestampMs: testNow, notifications: [])])
        let after = try await observe(core)
        #expect(after.summaries[1].records == 3)
        await core.close()

        let reopened = try await MeteringCore.open(configuration: testConfiguration(), storage: storage(directory), logger: quietLogger())
        #expect(try await observe(reopened) == after)
        await reopened.close()
    }
}
