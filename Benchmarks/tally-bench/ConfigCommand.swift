/// Prints a tallyd configuration with numbered accounts and one admin key.
enum ConfigCommand {
    static func run(_ arguments: [String]) throws(UsageError) {
        var accounts = 100
        var prefix = "acct-"
        var plan = "unlimited"
        var freeAccounts = 0
        var freePrefix = "free-"
        var keyHash = ""
        var index = 0
        func value() throws(UsageError) -> String {
            index += 1
            guard index < arguments.count else { throw UsageError("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--accounts":
                let text = try value()
                guard let number = Int(text), number >= 0 else { throw UsageError("--accounts: \"\(text)\" is not a whole number") }
                accounts = number
            case "--account-prefix": prefix = try value()
            case "--plan": plan = try value()
            case "--free-accounts":
                let text = try value()
                guard let number = Int(text), number >= 0 else { throw UsageError("--free-accounts: \"\(text)\" is not a whole number") }
                freeAccounts = number
            case "--free-prefix": freePrefix = try value()
            case "--key-sha256": keyHash = try value()
            default: throw UsageError("config: unknown option \"\(arguments[index])\"")
            }
            index += 1
        }
        guard keyHash.utf8.count == 64 else {
            throw UsageError("--key-sha256: \(keyHash.utf8.count) characters; expected 64 hex digits")
        }
        guard plan == "unlimited" || plan == "free" else {
            throw UsageError("--plan: \"\(plan)\" is not unlimited or free")
        }
        var entries: [String] = []
        for number in 0..<accounts {
            entries.append("\"\(prefix)\(number)\": {\"plan\": \"\(plan)\"}")
        }
        for number in 0..<freeAccounts {
            entries.append("\"\(freePrefix)\(number)\": {\"plan\": \"free\"}")
        }
        print("""
        {"plans": {"free": {"tokens": 500000, "decisions": 5000, "sessions": 100}, "unlimited": {}},
         "accounts": {\(entries.joined(separator: ",\n  "))},
         "keys": [{"sha256": "\(keyHash)", "role": "admin", "name": "tally-bench"}]}
        """)
    }
}
