import Foundation

/// When `record` returns relative to the write-ahead log reaching the disk.
public enum DurabilityMode: String, Sendable {
    /// Return after an fdatasync covering the records.
    case sync
    /// Return after write(); fdatasync runs at least once a second, so a machine crash may lose up to a second.
    case interval
}

/// Where and how the core persists its state.
public struct StorageOptions: Sendable {
    /// Data directory holding log segments and snapshots; created if missing.
    public var directory: String
    public var durability: DurabilityMode = .sync
    /// Time between automatic snapshots.
    public var snapshotInterval: Duration = .seconds(300)
    /// Number of shard actors that accounts are spread over.
    public var shardCount: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Start from the last good point instead of failing when the log or a snapshot is damaged.
    public var recoverFromCorruption: Bool = false
    /// Opens log files; tests replace it to inject write and sync failures.
    var fileSystem: any LogFileSystem = PosixLogFileSystem()

    public init(
        directory: String,
        durability: DurabilityMode = .sync,
        snapshotInterval: Duration = .seconds(300),
        shardCount: Int = ProcessInfo.processInfo.activeProcessorCount,
        recoverFromCorruption: Bool = false
    ) {
        self.directory = directory
        self.durability = durability
        self.snapshotInterval = snapshotInterval
        self.shardCount = shardCount
        self.recoverFromCorruption = recoverFromCorruption
    }
}
