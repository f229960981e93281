/// Who is on the other end of a connection, as its Hello established.
public struct Caller: Sendable, Equatable {
    public var role: APIKeyEntry.Role
    /// The account of an agent key, or the embedded default's single account.
    public var account: String?
    /// The key's name for logs; never the key or its full hash.
    public var keyName: String

    public init(role: APIKeyEntry.Role, account: String?, keyName: String) {
        self.role = role
        self.account = account
        self.keyName = keyName
    }
}
