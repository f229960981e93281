import TallyWire

// `--json` renderings of the protocol's messages. Keys are the .proto field
// names; enums are their .proto value names; numbers are JSON numbers.

extension Resource {
    var protoName: String {
        switch self {
        case .unspecified: "RESOURCE_UNSPECIFIED"
        case .tokens: "RESOURCE_TOKENS"
        case .decisions: "RESOURCE_DECISIONS"
        case .sessions: "RESOURCE_SESSIONS"
        case .unrecognized(let value): "\(value)"
        }
    }

    /// A word for people: tokens, decisions, sessions.
    var noun: String {
        switch self {
        case .tokens: "tokens"
        case .decisions: "decisions"
        case .sessions: "sessions"
        case .unspecified, .unrecognized: "unknown resource"
        }
    }
}

extension Notification {
    var json: JSONValue {
        .object([
            ("resource", .string(resource.protoName)),
            ("threshold_percent", .unsigned(UInt64(thresholdPercent))),
            ("used", .unsigned(used)),
            ("limit", .unsigned(limit)),
            ("crossed_at_ms", .signed(crossedAtMs)),
            ("period_start_ms", .signed(periodStartMs)),
        ])
    }
}

extension RecordResult {
    var json: JSONValue {
        .object([
            ("status", .string(status.name)),
            ("message", .string(message)),
            ("duplicate", .bool(duplicate)),
            ("notifications", .array(notifications.map(\.json))),
            ("timestamp_ms", .signed(timestampMs)),
        ])
    }
}

extension GetSummaryResponse {
    var json: JSONValue {
        .object([
            ("total_tokens", .unsigned(totalTokens)),
            ("input_tokens", .unsigned(inputTokens)),
            ("output_tokens", .unsigned(outputTokens)),
            ("sessions_used", .unsigned(sessionsUsed)),
            ("records", .unsigned(records)),
            ("decisions", .unsigned(decisions)),
            ("start_ms", .signed(startMs)),
            ("end_ms", .signed(endMs)),
            ("time_zone", .string(timeZone)),
            ("sessions", .array(sessions.map { session in
                .object([
                    ("session_id", .string(session.sessionID)),
                    ("input_tokens", .unsigned(session.inputTokens)),
                    ("output_tokens", .unsigned(session.outputTokens)),
                    ("total_tokens", .unsigned(session.totalTokens)),
                    ("records", .unsigned(session.records)),
                ])
            })),
        ])
    }
}

extension StoredRecord {
    var json: JSONValue {
        .object([
            ("timestamp_ms", .signed(timestampMs)),
            ("session_id", .string(sessionID)),
            ("input_tokens", .unsigned(inputTokens)),
            ("output_tokens", .unsigned(outputTokens)),
            ("total_tokens", .unsigned(totalTokens)),
            ("decisions", .unsigned(decisions)),
            ("event_id", .string(eventID)),
        ])
    }
}

extension GetQuotaResponse {
    var json: JSONValue {
        .object([
            ("account_id", .string(accountID)),
            ("plan", .string(plan)),
            ("period_start_ms", .signed(periodStartMs)),
            ("period_end_ms", .signed(periodEndMs)),
            ("time_zone", .string(timeZone)),
            ("resources", .array(resources.map { quota in
                .object([
                    ("resource", .string(quota.resource.protoName)),
                    ("used", .unsigned(quota.used)),
                    ("limit", .unsigned(quota.limit)),
                    ("remaining", .unsigned(quota.remaining)),
                    ("exhausted", .bool(quota.exhausted)),
                    ("unlimited", .bool(quota.unlimited)),
                ])
            })),
            ("notifications", .array(notifications.map(\.json))),
            ("session_allowed", .bool(sessionAllowed)),
            ("session_denied_reason", .string(sessionDeniedReason)),
        ])
    }
}
