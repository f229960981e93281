import Foundation
@testable import TallyCore

/// 2023-11-15T12:00:00Z, the fixed clock of most tests.
let testNow: Int64 = 1_700_049_600_000
/// 2023-12-01T00:00:00Z, the end of the November 2023 UTC billing period.
let novemberEndUTC: Int64 = 1_701_388_800_000

/// Plans and accounts used across the tests.
func testConfiguration() -> MeteringConfiguration {
    var configuration = MeteringConfiguration.embeddedDefault()
    configuration.plans["tiny"] = Plan(name: "tiny", tokens: 100, decisions: 10, sessions: 3)
    configuration.accounts["acme"] = AccountSettings(id: "acme", plan: "free")
    configuration.accounts["big"] = AccountSettings(id: "big", plan: "unlimited")
    configuration.accounts["tiny"] = AccountSettings(id: "tiny", plan: "tiny")
    configuration.accounts["berlin"] = AccountSettings(id: "berlin", plan: "tiny", billingTimeZone: "Europe/Berlin")
    return configuration
}

/// Creates an empty directory under the system temporary directory and returns its path.
func makeTemporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "tally-core-tests-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func removeDirectory(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

func storage(_ directory: String, shards: Int = 2, durability: DurabilityMode = .sync, recover: Bool = false) -> StorageOptions {
    StorageOptions(directory: directory, durability: durability, snapshotInterval: .seconds(3600), shardCount: shards, recoverFromCorruption: recover)
}

func quietLogger(_ sink: LogSink = .capturing()) -> Logger {
    Logger(label: "test", logLevel: .trace, sink: sink)
}

/// Opens a core on a fresh directory, runs `body`, then closes it and removes the directory.
func withCore<T>(_ configuration: MeteringConfiguration = testConfiguration(), shards: Int = 2, limits: RecordLimits = RecordLimits(),
                 _ body: (MeteringCore) async throws -> T) async throws -> T {
    let directory = makeTemporaryDirectory()
    defer { removeDirectory(directory) }
    let core = try await MeteringCore.open(configuration: configuration, storage: storage(directory, shards: shards), limits: limits,
                                           logger: quietLogger())
    do {
        let result = try await body(core)
        await core.close()
        return result
    } catch {
        await core.close()
        throw error
    }
}

extension RecordOutcome {
    var rejection: MeteringError? {
        if case let .rejected(error) = self { return error }
        return nil
    }

    var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }

    var firedNotifications: [QuotaNotification] {
        if case let .accepted(_, notifications) = self { return notifications }
        return []
    }
}
