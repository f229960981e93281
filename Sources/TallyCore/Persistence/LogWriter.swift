import Foundation
import Synchronization

/// Appends entries to the write-ahead log on a dedicated thread with group commit.
///
/// Callers enqueue encoded payloads and get a sequence number at once. The thread takes everything
/// pending and writes it with one write call. In `.sync` mode it then runs one fdatasync for all of it,
/// and only after that completes the waiting tickets. A failed write or sync truncates the segment back to the last
/// durable offset, fails every ticket of that group and blocks ("poisons") the shards involved until
/// they have reloaded their state from disk.
final class LogWriter: Sendable {
    enum Work {
        case entry(shard: Int, bytes: [UInt8], completion: Completion<Void>)
        /// Starts a new segment whose first sequence is `firstSequence`; completes with the last sequence before it.
        case rotate(firstSequence: UInt64, completion: Completion<UInt64>)
        /// Completes once every earlier item has been handled.
        case barrier(Completion<Void>)
    }

    struct State {
        var nextSequence: UInt64
        var pending: [Work] = []
        var poisoned: [Int: MeteringError] = [:]
        /// Set while writes are refused, for example after a truncate or interval sync failed.
        var blocked: MeteringError?
        var failureCount: UInt64 = 0
        var stopping = false
    }

    let state: Mutex<State>
    let wakeup = DispatchSemaphore(value: 0)
    let stopped = Completion<Void>()
    let io: LogWriterIO

    init(directory: String, firstSequence: UInt64, mode: DurabilityMode, fileSystem: any LogFileSystem, logger: Logger) throws(FileError) {
        state = Mutex(State(nextSequence: firstSequence))
        io = try LogWriterIO(directory: directory, firstSequence: firstSequence, mode: mode, fileSystem: fileSystem, logger: logger)
        let thread = Thread { [self] in run() }
        thread.name = "tally-log-writer"
        thread.start()
    }

    /// Queues one entry and returns its sequence number and durability ticket.
    func enqueue(shard: Int, type: LogFormat.EntryType, payload: [UInt8]) -> WriteTicket {
        let completion = Completion<Void>()
        let (sequence, wasIdle): (UInt64, Bool) = state.withLock { state in
            if let error = state.poisoned[shard] ?? state.blocked {
                completion.complete(.failure(error))
                return (0, false)
            }
            if state.stopping {
                completion.complete(.failure(.unavailable("write-ahead log is closed")))
                return (0, false)
            }
            let sequence = state.nextSequence
            state.nextSequence += 1
            var bytes: [UInt8] = []
            bytes.reserveCapacity(payload.count + LogFormat.entryOverhead)
            LogFormat.appendEntry(sequence: sequence, type: type, payload: payload, to: &bytes)
            state.pending.append(.entry(shard: shard, bytes: bytes, completion: completion))
            return (sequence, state.pending.count == 1)
        }
        // Only the entry that makes the queue non-empty wakes the writer: it
        // takes everything pending at once, so later entries ride on that wake-up.
        if wasIdle {
            wakeup.signal()
        }
        return WriteTicket(sequence: sequence, completion: completion)
    }

    /// Ends the current segment; returns the last sequence number it may contain.
    func rotate() async -> Result<UInt64, MeteringError> {
        let completion = Completion<UInt64>()
        state.withLock { state in
            state.pending.append(.rotate(firstSequence: state.nextSequence, completion: completion))
        }
        wakeup.signal()
        return await completion.wait()
    }

    /// Waits until everything enqueued so far has been written (and synced in `.sync` mode) or failed.
    func barrier() async {
        let completion = Completion<Void>()
        state.withLock { $0.pending.append(.barrier(completion)) }
        wakeup.signal()
        _ = await completion.wait()
    }

    /// Count of failed groups so far and whether any shard still waits for a reload.
    var health: (failures: UInt64, poisonedShards: Int) {
        state.withLock { ($0.failureCount, $0.poisoned.count) }
    }

    /// Lets `shard` write again after it reloaded its state from disk.
    func clearPoison(shard: Int) {
        _ = state.withLock { $0.poisoned.removeValue(forKey: shard) }
    }

    func isPoisoned(shard: Int) -> Bool {
        state.withLock { $0.poisoned[shard] != nil }
    }

    /// Writes out what is pending, syncs, closes the segment and stops the thread.
    func stop() async {
        state.withLock { $0.stopping = true }
        wakeup.signal()
        _ = await stopped.wait()
    }
}
