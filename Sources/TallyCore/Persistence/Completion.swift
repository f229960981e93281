import Synchronization

/// A one-shot result that a thread sets and an async task awaits.
final class Completion<Value: Sendable>: Sendable {
    private struct State {
        var result: Result<Value, MeteringError>?
        var continuation: CheckedContinuation<Result<Value, MeteringError>, Never>?
    }

    private let state = Mutex(State())

    init() {}

    init(result: Result<Value, MeteringError>) {
        state.withLock { $0.result = result }
    }

    /// Sets the result once; later calls are ignored.
    func complete(_ result: Result<Value, MeteringError>) {
        let continuation: CheckedContinuation<Result<Value, MeteringError>, Never>? = state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            let waiting = state.continuation
            state.continuation = nil
            return waiting
        }
        continuation?.resume(returning: result)
    }

    func wait() async -> Result<Value, MeteringError> {
        await withCheckedContinuation { continuation in
            let ready: Result<Value, MeteringError>? = state.withLock { state in
                if let result = state.result { return result }
                state.continuation = continuation
                return nil
            }
            if let ready {
                continuation.resume(returning: ready)
            }
        }
    }
}

/// The position of an entry in the log and the completion that reports its durability.
struct WriteTicket: Sendable {
    var sequence: UInt64
    var completion: Completion<Void>
}
