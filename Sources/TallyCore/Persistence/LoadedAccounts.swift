import Dispatch

/// Accounts being rebuilt by recovery, in an array so that independent accounts can load on several threads.
struct LoadedAccounts {
    private(set) var states: [AccountState] = []
    private var positions: [String: Int] = [:]

    init(_ accounts: [AccountState] = []) {
        for account in accounts {
            positions[account.id] = states.count
            states.append(account)
        }
    }

    var recordCount: Int { states.reduce(0) { $0 + $1.columns.count } }

    /// Returns the position of `accountID`, adding a fresh account made by `make` if it is new.
    mutating func position(of accountID: String, make: (String) -> AccountState) -> Int {
        if let position = positions[accountID] { return position }
        positions[accountID] = states.count
        states.append(make(accountID))
        return states.count - 1
    }

    subscript(position: Int) -> AccountState {
        get { states[position] }
        _modify { yield &states[position] }
    }

    /// Runs `body` once for each position in `positions`, on several threads; each call may change only its own account.
    mutating func forEachInParallel(_ positions: [Int], _ body: (Int, inout AccountState) -> Void) {
        withoutActuallyEscaping(body) { body in
            states.withUnsafeMutableBufferPointer { buffer in
                let shared = SharedAccounts(buffer: buffer, body: body)
                DispatchQueue.concurrentPerform(iterations: positions.count) { item in
                    let position = positions[item]
                    shared.body(position, &shared.buffer[position])
                }
            }
        }
    }

    /// Rebuilds each account's indexes and aggregates after bulk loading, accounts in parallel.
    mutating func finish() {
        forEachInParallel(Array(states.indices)) { _, account in
            account.finishBulkLoad()
        }
    }

    /// The accounts by id.
    func dictionary() -> [String: AccountState] {
        Dictionary(uniqueKeysWithValues: states.map { ($0.id, $0) })
    }
}

/// The account array and the work shared by the threads of `forEachInParallel`.
// @unchecked Sendable: every thread writes a different element, `body` only reads what it captures
// (apart from per-account slots), and the owner waits for all threads before touching either again.
private struct SharedAccounts: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<AccountState>
    let body: (Int, inout AccountState) -> Void
}
