import Testing

@testable import TallyWire

/// Encodes and decodes a message and returns the decoded copy.
private func roundTrip<Message: WireMessage>(_ message: Message) throws -> Message {
    try Message(serializedBytes: message.serializedBytes())
}

@Suite("Codec round trips")
struct CodecRoundTripTests {
    @Test("UsageRecord exact bytes")
    func usageRecordExactBytes() throws {
        let record = UsageRecord(sessionID: "s", inputTokens: 5)
        // Field 2 (session_id) length-delimited "s", then field 4 (input_tokens) varint 5.
        #expect(record.serializedBytes() == [0x12, 0x01, 0x73, 0x20, 0x05])
    }

    @Test("empty messages encode to zero bytes")
    func emptyMessages() throws {
        #expect(HelloRequest().serializedBytes() == [])
        #expect(Limits().serializedBytes() == [])
        #expect(HelloResponse().serializedBytes() == [])
        #expect(UsageRecord().serializedBytes() == [])
        #expect(RecordUsageRequest().serializedBytes() == [])
        #expect(Notification().serializedBytes() == [])
        #expect(RecordResult().serializedBytes() == [])
        #expect(RecordUsageResponse().serializedBytes() == [])
        #expect(TimeRange().serializedBytes() == [])
        #expect(GetSummaryRequest().serializedBytes() == [])
        #expect(SessionUsage().serializedBytes() == [])
        #expect(GetSummaryResponse().serializedBytes() == [])
        #expect(ListRecordsRequest().serializedBytes() == [])
        #expect(StoredRecord().serializedBytes() == [])
        #expect(ListRecordsResponse().serializedBytes() == [])
        #expect(GetQuotaRequest().serializedBytes() == [])
        #expect(ResourceQuota().serializedBytes() == [])
        #expect(GetQuotaResponse().serializedBytes() == [])
    }

    @Test("empty payloads decode to defaults")
    func emptyPayloads() throws {
        #expect(try HelloRequest(serializedBytes: []) == HelloRequest())
        #expect(try Limits(serializedBytes: []) == Limits())
        #expect(try HelloResponse(serializedBytes: []) == HelloResponse())
        #expect(try UsageRecord(serializedBytes: []) == UsageRecord())
        #expect(try RecordUsageRequest(serializedBytes: []) == RecordUsageRequest())
        #expect(try Notification(serializedBytes: []) == Notification())
        #expect(try RecordResult(serializedBytes: []) == RecordResult())
        #expect(try RecordUsageResponse(serializedBytes: []) == RecordUsageResponse())
        #expect(try TimeRange(serializedBytes: []) == TimeRange())
        #expect(try GetSummaryRequest(serializedBytes: []) == GetSummaryRequest())
        #expect(try SessionUsage(serializedBytes: []) == SessionUsage())
        #expect(try GetSummaryResponse(serializedBytes: []) == GetSummaryResponse())
        #expect(try ListRecordsRequest(serializedBytes: []) == ListRecordsRequest())
        #expect(try StoredRecord(serializedBytes: []) == StoredRecord())
        #expect(try ListRecordsResponse(serializedBytes: []) == ListRecordsResponse())
        #expect(try GetQuotaRequest(serializedBytes: []) == GetQuotaRequest())
        #expect(try ResourceQuota(serializedBytes: []) == ResourceQuota())
        #expect(try GetQuotaResponse(serializedBytes: []) == GetQuotaResponse())
    }

    @Test("HelloRequest round trip")
    func helloRequest() throws {
        let message = HelloRequest(protocolVersion: UInt32.max, apiKey: "tk_agent_\u{00E9}", clientName: "tally-cli/1.0")
        #expect(try roundTrip(message) == message)
    }

    @Test("HelloResponse with limits round trip")
    func helloResponse() throws {
        let limits = Limits(
            maxFrameBytes: 4_194_304, maxBatchRecords: 10_000, maxSessionIDBytes: 128, maxEventIDBytes: 128,
            maxPageSize: 1_000, maxInFlight: 1_024, maxSummarySessions: UInt32.max)
        let message = HelloResponse(
            protocolVersion: 1, serverVersion: "tallyd 0.1.0", accountID: "acme", role: .agent, limits: limits)
        let decoded = try roundTrip(message)
        #expect(decoded == message)
        #expect(decoded.limits == limits)
        #expect(try roundTrip(limits) == limits)
    }

    @Test("HelloResponse without limits keeps nil")
    func helloResponseWithoutLimits() throws {
        let message = HelloResponse(protocolVersion: 1, role: .admin, limits: nil)
        #expect(try roundTrip(message).limits == nil)
        #expect(try roundTrip(message) == message)
    }

    @Test("UsageRecord extreme values")
    func usageRecordExtremes() throws {
        let maximum = UsageRecord(
            eventID: "e", sessionID: "s", timestampMs: Int64.max, inputTokens: UInt64.max,
            outputTokens: UInt64.max, decisions: UInt64.max)
        #expect(try roundTrip(maximum) == maximum)
        let minimum = UsageRecord(sessionID: "s", timestampMs: Int64.min)
        #expect(try roundTrip(minimum) == minimum)
        #expect(try roundTrip(minimum).timestampMs == Int64.min)
    }

    @Test("unicode strings round trip")
    func unicodeStrings() throws {
        let record = UsageRecord(
            eventID: "\u{1F600}-\u{4E2D}\u{6587}", sessionID: "sessi\u{00F3}n \u{05E9}\u{05DC}\u{05D5}\u{05DD} \u{1F9EA}",
            inputTokens: 1)
        let decoded = try roundTrip(record)
        #expect(decoded.eventID == "\u{1F600}-\u{4E2D}\u{6587}")
        #expect(decoded.sessionID == record.sessionID)
        #expect(decoded.sessionID.utf8.count == record.sessionID.utf8.count)
    }

    @Test("RecordUsageRequest with many records")
    func recordUsageRequestManyRecords() throws {
        let records = (0..<10_000).map { index in
            UsageRecord(
                eventID: "event-\(index)", sessionID: "session-\(index % 37)", timestampMs: 1_700_000_000_000 + Int64(index),
                inputTokens: UInt64(index), outputTokens: UInt64(index) * 3, decisions: UInt64(index % 5))
        }
        let message = RecordUsageRequest(accountID: "acme", records: records)
        let decoded = try roundTrip(message)
        #expect(decoded.records.count == 10_000)
        #expect(decoded.records[9_999] == records[9_999])
        #expect(decoded == message)
    }

    @Test("RecordUsageResponse round trip")
    func recordUsageResponse() throws {
        let notification = Notification(
            resource: .tokens, thresholdPercent: 90, used: 450_000, limit: 500_000,
            crossedAtMs: 1_700_000_000_123, periodStartMs: 1_698_796_800_000)
        let message = RecordUsageResponse(results: [
            RecordResult(status: .ok, timestampMs: 1_700_000_000_000),
            RecordResult(status: .ok, duplicate: true, timestampMs: 1_700_000_000_001),
            RecordResult(
                status: .invalidArgument, message: "records[2].session_id: 130 bytes is over the maximum of 128 bytes"),
            RecordResult(status: .ok, notifications: [notification, notification], timestampMs: 1_700_000_000_123),
            RecordResult(status: .resourceExhausted, message: "tokens quota exhausted"),
        ])
        #expect(try roundTrip(message) == message)
        #expect(try roundTrip(notification) == notification)
    }

    @Test("GetSummary messages round trip")
    func getSummary() throws {
        let range = TimeRange(preset: .last7Days, startMs: -1, endMs: Int64.max, timeZone: "Europe/Berlin")
        let request = GetSummaryRequest(accountID: "acme", range: range, maxSessions: 1_000)
        #expect(try roundTrip(request) == request)
        #expect(try roundTrip(range) == range)
        #expect(try roundTrip(GetSummaryRequest(accountID: "acme")).range == nil)

        let sessions = (0..<1_000).map { index in
            SessionUsage(
                sessionID: "s\(index)", inputTokens: UInt64(index), outputTokens: 1, totalTokens: UInt64(index) + 1,
                records: 2)
        }
        let response = GetSummaryResponse(
            totalTokens: UInt64.max, inputTokens: 1, outputTokens: 2, sessionsUsed: 1_000, sessions: sessions,
            startMs: Int64.min, endMs: Int64.max, records: 3, decisions: 4, timeZone: "America/New_York")
        #expect(try roundTrip(response) == response)
        #expect(try roundTrip(sessions[7]) == sessions[7])
    }

    @Test("ListRecords messages round trip")
    func listRecords() throws {
        let request = ListRecordsRequest(
            accountID: "acme", range: TimeRange(startMs: 10, endMs: 20), sessionID: "s1", pageSize: 1_000,
            pageToken: "opaque+/=token")
        #expect(try roundTrip(request) == request)

        let records = (0..<500).map { index in
            StoredRecord(
                timestampMs: 1_700_000_000_000 - Int64(index), sessionID: "s", inputTokens: UInt64.max,
                outputTokens: 0, totalTokens: UInt64.max, decisions: 9, eventID: index.isMultiple(of: 2) ? "" : "e\(index)")
        }
        let response = ListRecordsResponse(records: records, nextPageToken: "next", startMs: 0, endMs: 1)
        #expect(try roundTrip(response) == response)
        #expect(try roundTrip(records[1]) == records[1])
    }

    @Test("GetQuota messages round trip")
    func getQuota() throws {
        let request = GetQuotaRequest(accountID: "acme", sessionID: "s9", atMs: Int64.min)
        #expect(try roundTrip(request) == request)

        let resources = [
            ResourceQuota(resource: .tokens, used: 500_000, limit: 500_000, remaining: 0, exhausted: true),
            ResourceQuota(resource: .decisions, used: 3, limit: 5_000, remaining: 4_997),
            ResourceQuota(resource: .sessions, used: 7, unlimited: true),
        ]
        let response = GetQuotaResponse(
            plan: "free", periodStartMs: 1_698_796_800_000, periodEndMs: 1_701_388_800_000, resources: resources,
            notifications: [Notification(resource: .sessions, thresholdPercent: 100, used: 100, limit: 100)],
            sessionAllowed: true, sessionDeniedReason: "", timeZone: "UTC", accountID: "acme")
        #expect(try roundTrip(response) == response)
        #expect(try roundTrip(resources[0]) == resources[0])

        let denied = GetQuotaResponse(sessionAllowed: false, sessionDeniedReason: "sessions quota exhausted (100 of 100)")
        #expect(try roundTrip(denied) == denied)
    }

    @Test("unrecognized enum values encode back unchanged")
    func unrecognizedEnums() throws {
        let notification = Notification(resource: .unrecognized(42))
        #expect(try roundTrip(notification).resource == .unrecognized(42))
        let negative = Notification(resource: .unrecognized(-7))
        #expect(try roundTrip(negative).resource == .unrecognized(-7))

        let hello = HelloResponse(role: .unrecognized(99))
        #expect(try roundTrip(hello).role == .unrecognized(99))

        let range = TimeRange(preset: .unrecognized(1_000_000))
        #expect(try roundTrip(range).preset == .unrecognized(1_000_000))

        let quota = ResourceQuota(resource: .unrecognized(Int32.max))
        #expect(try roundTrip(quota).resource == .unrecognized(Int32.max))
    }

    @Test("unknown enum value from the wire")
    func unknownEnumFromWire() throws {
        // Notification field 1 (resource) = 42, field 2 (threshold_percent) = 75.
        let decoded = try Notification(serializedBytes: [0x08, 0x2A, 0x10, 0x4B])
        #expect(decoded.resource == .unrecognized(42))
        #expect(decoded.thresholdPercent == 75)
        #expect(decoded.serializedBytes() == [0x08, 0x2A, 0x10, 0x4B])
    }

    @Test("unknown status code decodes as UNKNOWN")
    func unknownStatusCode() throws {
        // RecordResult field 1 (status) = 99, which no gRPC code has.
        let decoded = try RecordResult(serializedBytes: [0x08, 0x63])
        #expect(decoded.status == .unknown)
    }

    @Test("known enum values use proto numbers")
    func knownEnumNumbers() throws {
        #expect(Role.agent.protoValue == 1)
        #expect(Role.service.protoValue == 2)
        #expect(Role.admin.protoValue == 3)
        #expect(Resource.tokens.protoValue == 1)
        #expect(Resource.decisions.protoValue == 2)
        #expect(Resource.sessions.protoValue == 3)
        #expect(Preset.today.protoValue == 1)
        #expect(Preset.last7Days.protoValue == 2)
        #expect(Preset.last30Days.protoValue == 3)
        #expect(Preset.allTime.protoValue == 4)
        #expect(Role(protoValue: 2) == .service)
        #expect(Resource(protoValue: 3) == .sessions)
        #expect(Preset(protoValue: 4) == .allTime)
        #expect(TimeRange(preset: .last30Days).serializedBytes() == [0x08, 0x03])
    }

    @Test("unknown fields are ignored")
    func unknownFieldsIgnored() throws {
        var bytes = UsageRecord(sessionID: "s", inputTokens: 5).serializedBytes()
        bytes += [0xF8, 0x01, 0x07]  // field 31, varint 7
        bytes += [0x7A, 0x02, 0x68, 0x69]  // field 15, length-delimited "hi"
        bytes += [0x45, 0x01, 0x02, 0x03, 0x04]  // field 8, fixed32
        bytes += [0x49, 1, 2, 3, 4, 5, 6, 7, 8]  // field 9, fixed64
        let decoded = try UsageRecord(serializedBytes: bytes)
        #expect(decoded == UsageRecord(sessionID: "s", inputTokens: 5))
        #expect(decoded.serializedBytes() == [0x12, 0x01, 0x73, 0x20, 0x05])
    }

    @Test("repeated scalar field sent twice keeps the last value")
    func lastValueWins() throws {
        // input_tokens = 1, then input_tokens = 2.
        let decoded = try UsageRecord(serializedBytes: [0x20, 0x01, 0x20, 0x02])
        #expect(decoded.inputTokens == 2)
    }

    @Test("unsafe buffer initializer")
    func unsafeBufferInitializer() throws {
        let message = GetQuotaRequest(accountID: "acme", atMs: 5)
        let bytes = message.serializedBytes()
        let decoded = try bytes.withUnsafeBytes { buffer in try GetQuotaRequest(serializedBytes: buffer) }
        #expect(decoded == message)
    }
}
