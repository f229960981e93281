/// A billing plan: monthly caps per resource, where `nil` means unlimited.
public struct Plan: Sendable, Equatable {
    public var name: String
    /// Cap on input plus output tokens per billing period.
    public var tokens: UInt64?
    /// Cap on policy decisions per billing period.
    public var decisions: UInt64?
    /// Cap on distinct sessions per billing period.
    public var sessions: UInt64?

    public init(name: String, tokens: UInt64? = nil, decisions: UInt64? = nil, sessions: UInt64? = nil) {
        self.name = name
        self.tokens = tokens
        self.decisions = decisions
        self.sessions = sessions
    }

    /// Returns the cap of `resource`, or nil when it is unlimited.
    public func limit(of resource: QuotaResource) -> UInt64? {
        switch resource {
        case .tokens: tokens
        case .decisions: decisions
        case .sessions: sessions
        }
    }
}
