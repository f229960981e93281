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
}
