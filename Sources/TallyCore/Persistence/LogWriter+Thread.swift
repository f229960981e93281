import Foundation

extension LogWriter {
    /// Body of the writer thread.
    func run() {
        while true {
            let timeout: DispatchTime = io.mode == .interval ? .now() + .milliseconds(200) : .distantFuture
            _ = wakeup.wait(timeout: timeout)
            let (work, stopping) = state.withLock { state in
                let work = state.pending
                state.pending = []
                return (work, state.stopping)
            }
            process(work)
            if io.mode == .interval {
                syncIfDue(force: stopping)
            }
            if stopping && state.withLock({ $0.pending.isEmpty }) {
                if io.unsynced { syncIfDue(force: true) }
                io.file.close()
                stopped.complete(.success(()))
                return
            }
        }
    }

    private func process(_ work: [Work]) {
        var bytes: [UInt8] = []
        var group: [(shard: Int, completion: Completion<Void>)] = []
        var poisoned = state.withLock { Set($0.poisoned.keys) }

        func flush() {
            guard !group.isEmpty else { return }
            if let failedShards = commit(bytes, group: group) {
                poisoned.formUnion(failedShards)
            }
            bytes.removeAll(keepingCapacity: true)
            group.removeAll(keepingCapacity: true)
        }

        for item in work {
            switch item {
            case let .entry(shard, entry, completion):
                if poisoned.contains(shard) {
                    let error = state.withLock { $0.poisoned[shard] } ?? .unavailable("write-ahead log write failed")
                    completion.complete(.failure(error))
                    continue
                }
                bytes.append(contentsOf: entry)
                group.append((shard, completion))
            case let .rotate(firstSequence, completion):
                flush()
                completion.complete(rotate(firstSequence: firstSequence))
            case let .barrier(completion):
                flush()
                completion.complete(.success(()))
            }
        }
        flush()
    }

    /// Writes and syncs one group; returns the shards that were poisoned when it failed.
    private func commit(_ bytes: [UInt8], group: [(shard: Int, completion: Completion<Void>)]) -> Set<Int>? {
        if let failure = repairIfNeeded() {
            return fail(group, error: failure, truncate: false)
        }
        do {
            try io.file.write(bytes, at: io.offset)
        } catch {
            return fail(group, error: .unavailable("write-ahead log write failed: \(FileError.describe(error.code)) in \(error.path)"), truncate: true)
        }
        io.offset += Int64(bytes.count)
        if io.mode == .sync {
            do {
                try io.file.sync()
            } catch {
                return fail(group, error: .unavailable("write-ahead log sync failed: \(FileError.describe(error.code)) in \(error.path)"), truncate: true)
            }
            io.lastSync = .now
        } else {
            io.unsynced = true
        }
        io.durableOffset = io.offset
        for member in group {
            member.completion.complete(.success(()))
        }
        return nil
    }

    /// Fails a group: cuts the segment back, blocks its shards until they reload, and fails their queued entries.
    private func fail(_ group: [(shard: Int, completion: Completion<Void>)], error: MeteringError, truncate: Bool) -> Set<Int> {
        io.logger.error("write-ahead log group failed", metadata: ["error": error.message, "entries": "\(group.count)", "file": io.file.path])
        if truncate {
            do {
                try io.file.truncate(to: io.durableOffset)
            } catch let truncateError {
                let blocked = MeteringError.unavailable("write-ahead log truncate failed: \(FileError.describe(truncateError.code)) in \(truncateError.path)")
                io.pendingRepair = (.truncate, blocked)
                state.withLock { $0.blocked = blocked }
                io.logger.error("write-ahead log truncate failed; refusing writes until it succeeds", metadata: ["error": blocked.message])
            }
            io.offset = io.durableOffset
        }
        let shards = Set(group.map(\.shard))
        let dropped: [Completion<Void>] = state.withLock { state in
            state.failureCount += 1
            for shard in shards {
                state.poisoned[shard] = error
            }
            var dropped: [Completion<Void>] = []
            state.pending.removeAll { item in
                guard case let .entry(shard, _, completion) = item, shards.contains(shard) else { return false }
                dropped.append(completion)
                return true
            }
            return dropped
        }
        for member in group {
            member.completion.complete(.failure(error))
        }
        for completion in dropped {
            completion.complete(.failure(error))
        }
        return shards
    }

    /// Retries a failed truncate or sync; returns the error while it still fails.
    private func repairIfNeeded() -> MeteringError? {
        guard let repair = io.pendingRepair else { return nil }
        do {
            switch repair.kind {
            case .truncate: try io.file.truncate(to: io.durableOffset)
            case .sync: try io.file.sync()
            }
        } catch {
            return repair.error
        }
        io.pendingRepair = nil
        io.unsynced = false
        state.withLock { $0.blocked = nil }
        io.logger.notice("write-ahead log writable again", metadata: ["file": io.file.path])
        return nil
    }

    /// In `.interval` mode, syncs written data when the last sync is 500 ms old or more.
    private func syncIfDue(force: Bool) {
        guard io.unsynced, io.pendingRepair == nil else {
            _ = repairIfNeeded()
            return
        }
        guard force || ContinuousClock.now - io.lastSync >= .milliseconds(500) else { return }
        do {
            try io.file.sync()
            io.unsynced = false
            io.lastSync = .now
        } catch {
            // Callers already got success for this data, so refuse new writes until a sync succeeds.
            let blocked = MeteringError.unavailable("write-ahead log sync failed: \(FileError.describe(error.code)) in \(error.path)")
            io.pendingRepair = (.sync, blocked)
            state.withLock { state in
                state.blocked = blocked
                state.failureCount += 1
            }
            io.logger.critical("write-ahead log sync failed; data written in the last second may be lost in a machine crash", metadata: ["error": blocked.message])
        }
    }

    private func rotate(firstSequence: UInt64) -> Result<UInt64, MeteringError> {
        // Nothing was written since the current segment started, so it already begins at firstSequence.
        if io.segmentFirstSequence == firstSequence {
            return .success(firstSequence - 1)
        }
        if io.unsynced {
            do {
                try io.file.sync()
                io.unsynced = false
            } catch {
                return .failure(.unavailable("write-ahead log sync before rotation failed: \(FileError.describe(error.code)) in \(error.path)"))
            }
        }
        do {
            let file = try LogWriterIO.createSegment(directory: io.directory, firstSequence: firstSequence, fileSystem: io.fileSystem)
            io.file.close()
            io.file = file
            io.segmentFirstSequence = firstSequence
            io.offset = Int64(LogFormat.headerSize)
            io.durableOffset = io.offset
            io.pendingRepair = nil
            state.withLock { $0.blocked = nil }
        } catch {
            return .failure(.unavailable("creating write-ahead log segment failed: \(error)"))
        }
        return .success(firstSequence - 1)
    }
}
