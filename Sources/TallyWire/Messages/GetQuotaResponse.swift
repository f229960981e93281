import CProtobufC
import CTallyProto

/// The reply to `GetQuotaRequest`.
public struct GetQuotaResponse: Sendable, Equatable {
    /// The account's plan name.
    public var plan: String
    /// Inclusive start of the billing period, Unix milliseconds.
    public var periodStartMs: Int64
    /// Exclusive end of the billing period, Unix milliseconds.
    public var periodEndMs: Int64
    /// One entry per resource: tokens, decisions, sessions.
    public var resources: [ResourceQuota]
    /// Every notification fired in this period, oldest first.
    public var notifications: [Notification]
    /// With a session id in the request: whether a record with tokens in that session would be accepted now.
    public var sessionAllowed: Bool
    /// The reason `sessionAllowed` is false, or empty when it is true.
    public var sessionDeniedReason: String
    /// The billing time zone.
    public var timeZone: String
    /// The account reported.
    public var accountID: String

    public init(
        plan: String = "",
        periodStartMs: Int64 = 0,
        periodEndMs: Int64 = 0,
        resources: [ResourceQuota] = [],
        notifications: [Notification] = [],
        sessionAllowed: Bool = false,
        sessionDeniedReason: String = "",
        timeZone: String = "",
        accountID: String = ""
    ) {
        self.plan = plan
        self.periodStartMs = periodStartMs
        self.periodEndMs = periodEndMs
        self.resources = resources
        self.notifications = notifications
        self.sessionAllowed = sessionAllowed
        self.sessionDeniedReason = sessionDeniedReason
        self.timeZone = timeZone
        self.accountID = accountID
    }
}

extension GetQuotaResponse: CMessageConvertible {
    init(cMessage: UnsafePointer<Tally__V1__GetQuotaResponse>) throws(WireError) {
        let source = cMessage.pointee
        plan = try CCodec.string(source.plan, message: "GetQuotaResponse", field: "plan")
        periodStartMs = source.period_start_ms
        periodEndMs = source.period_end_ms
        resources = try ResourceQuota.decodeRepeated(source.resources, count: source.n_resources)
        notifications = try Notification.decodeRepeated(source.notifications, count: source.n_notifications)
        sessionAllowed = CCodec.bool(source.session_allowed)
        sessionDeniedReason = try CCodec.string(source.session_denied_reason, message: "GetQuotaResponse", field: "session_denied_reason")
        timeZone = try CCodec.string(source.time_zone, message: "GetQuotaResponse", field: "time_zone")
        accountID = try CCodec.string(source.account_id, message: "GetQuotaResponse", field: "account_id")
    }

    func makeCMessage(in arena: inout CArena) -> UnsafeMutablePointer<Tally__V1__GetQuotaResponse> {
        let target = arena.message(Tally__V1__GetQuotaResponse.self, tally__v1__get_quota_response__init)
        target.pointee.plan = arena.cString(plan)
        target.pointee.period_start_ms = periodStartMs
        target.pointee.period_end_ms = periodEndMs
        target.pointee.n_resources = resources.count
        target.pointee.resources = arena.repeated(resources)
        target.pointee.n_notifications = notifications.count
        target.pointee.notifications = arena.repeated(notifications)
        target.pointee.session_allowed = CCodec.cBool(sessionAllowed)
        target.pointee.session_denied_reason = arena.cString(sessionDeniedReason)
        target.pointee.time_zone = arena.cString(timeZone)
        target.pointee.account_id = arena.cString(accountID)
        return target
    }
}

extension GetQuotaResponse: WireMessage {
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        self = try CCodec.decode(
            bytes, as: GetQuotaResponse.self, name: "GetQuotaResponse",
            unpack: tally__v1__get_quota_response__unpack, initialize: tally__v1__get_quota_response__init)
    }

    public func serializedBytes() -> [UInt8] {
        CCodec.encode(self, packedSize: tally__v1__get_quota_response__get_packed_size, pack: tally__v1__get_quota_response__pack)
    }
}
