import Foundation

/// Usage totals of a session or an account.
struct UsageTotals {
    var inputTokens: UInt64 = 0
    var outputTokens: UInt64 = 0
    var decisions: UInt64 = 0
    var records: UInt64 = 0

    mutating func add(input: UInt64, output: UInt64, decisions count: UInt64) {
        inputTokens += input
        outputTokens += output
        decisions += count
        records += 1
    }
}

/// Quota usage of one billing period.
struct PeriodUsage {
    var startMs: Int64
    var endMs: Int64
    var tokens: UInt64 = 0
    var decisions: UInt64 = 0
    var sessions: Set<UInt32> = []
    /// Notifications fired in this period, oldest first.
    var notifications: [QuotaNotification] = []

    func used(_ resource: QuotaResource) -> UInt64 {
        switch resource {
        case .tokens: tokens
        case .decisions: decisions
        case .sessions: UInt64(sessions.count)
        }
    }

    func hasFired(_ resource: QuotaResource, threshold: UInt32) -> Bool {
        notifications.contains { $0.resource == resource && $0.thresholdPercent == threshold }
    }
}

/// The usage figures of a period without its session set, cheap to keep.
struct PeriodCounts {
    var tokens: UInt64
    var decisions: UInt64
    var sessions: UInt64

    init(_ usage: PeriodUsage) {
        tokens = usage.tokens
        decisions = usage.decisions
        sessions = UInt64(usage.sessions.count)
    }

    func used(_ resource: QuotaResource) -> UInt64 {
        switch resource {
        case .tokens: tokens
        case .decisions: decisions
        case .sessions: sessions
        }
    }
}

/// All state of one account: records, aggregates, quota usage per period and fired notifications.
struct AccountState {
    let id: String
    private(set) var settings: AccountSettings
    private(set) var plan: Plan
    private(set) var calendar: Calendar

    var columns = RecordColumns()
    var events = EventIndex()
    var sessionNames: [String] = []
    var sessionLookup: [String: UInt32] = [:]
    var sessionTotals: [UsageTotals] = []
    var totals = UsageTotals()
    var hourly = HourlyUsage()
    /// Quota usage by period start.
    var periods: [Int64: PeriodUsage] = [:]
    /// Log sequence of the last entry applied to this account; replay skips entries at or below it.
    var lastAppliedSequence: UInt64 = 0
    private var lastPeriod: (start: Int64, end: Int64)?

    init(settings: AccountSettings, plan: Plan) {
        id = settings.id
        self.settings = settings
        self.plan = plan
        calendar = TimeMath.calendar(TimeZone(identifier: settings.billingTimeZone) ?? TimeZone(identifier: "UTC")!)
    }

    /// Applies new settings; a changed billing zone regroups all records into the new zone's months.
    mutating func update(settings newSettings: AccountSettings, plan newPlan: Plan) {
        let zoneChanged = newSettings.billingTimeZone != settings.billingTimeZone
        settings = newSettings
        plan = newPlan
        guard zoneChanged else { return }
        calendar = TimeMath.calendar(TimeZone(identifier: newSettings.billingTimeZone) ?? TimeZone(identifier: "UTC")!)
        lastPeriod = nil
        // NOTE: notifications fired under the old zone stay keyed by their old period start.
        let fired = periods.values.flatMap(\.notifications)
        periods = [:]
        for index in 0 ..< columns.count {
            addToPeriod(timestamp: columns.timestamps[index], tokens: UInt64(columns.inputTokens[index]) + UInt64(columns.outputTokens[index]), decisions: UInt64(columns.decisions[index]), session: columns.sessions[index])
        }
        for notification in fired.sorted(by: { $0.crossedAtMs < $1.crossedAtMs }) {
            addNotification(notification)
        }
    }

    /// Returns the billing period [start, end) containing `timestampMs`.
    mutating func period(containing timestampMs: Int64) -> (start: Int64, end: Int64) {
        if let lastPeriod, timestampMs >= lastPeriod.start, timestampMs < lastPeriod.end {
            return lastPeriod
        }
        let month = TimeMath.month(containing: timestampMs, calendar: calendar)
        lastPeriod = month
        return month
    }

    func sessionIndex(_ sessionID: String) -> UInt32? {
        sessionLookup[sessionID]
    }

    mutating func internSession(_ sessionID: String) -> UInt32 {
        if let index = sessionLookup[sessionID] { return index }
        let index = UInt32(sessionNames.count)
        sessionNames.append(sessionID)
        sessionLookup[sessionID] = index
        sessionTotals.append(UsageTotals())
        return index
    }

    /// Stores a record and updates every aggregate; quotas are not checked here.
    mutating func apply(timestamp: Int64, sessionID: String, input: UInt32, output: UInt32, decisions count: UInt32, eventID: String) {
        let session = internSession(sessionID)
        var eventID = eventID
        eventID.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            let index = columns.append(timestamp: timestamp, input: input, output: output, decisions: count, session: session, eventID: bytes)
            if !bytes.isEmpty {
                let columns = self.columns
                events.insert(bytes, recordIndex: index) { columns.eventID($0) }
            }
        }
        let input64 = UInt64(input)
        let output64 = UInt64(output)
        let decisions64 = UInt64(count)
        sessionTotals[Int(session)].add(input: input64, output: output64, decisions: decisions64)
        totals.add(input: input64, output: output64, decisions: decisions64)
        hourly.add(timestamp: timestamp, session: session, input: input64, output: output64, decisions: decisions64)
        addToPeriod(timestamp: timestamp, tokens: input64 + output64, decisions: decisions64, session: session)
    }

    private mutating func addToPeriod(timestamp: Int64, tokens: UInt64, decisions count: UInt64, session: UInt32) {
        let bounds = period(containing: timestamp)
        periods[bounds.start, default: PeriodUsage(startMs: bounds.start, endMs: bounds.end)].tokens += tokens
        periods[bounds.start]!.decisions += count
        periods[bounds.start]!.sessions.insert(session)
    }

    /// Records a fired notification in its period.
    mutating func addNotification(_ notification: QuotaNotification) {
        let start = notification.periodStartMs
        if periods[start] == nil {
            let bounds = period(containing: start)
            periods[start] = PeriodUsage(startMs: start, endMs: bounds.end)
        }
        periods[start]!.notifications.append(notification)
    }

    /// Returns the record index whose event id is `eventID`.
    func findEvent(_ eventID: String) -> Int? {
        var eventID = eventID
        return eventID.withUTF8 { utf8 in
            events.find(UnsafeRawBufferPointer(utf8)) { columns.eventID($0) }
        }
    }

    func storedUsage(_ index: Int) -> StoredUsage {
        StoredUsage(
            timestampMs: columns.timestamps[index],
            sessionID: sessionNames[Int(columns.sessions[index])],
            inputTokens: UInt64(columns.inputTokens[index]),
            outputTokens: UInt64(columns.outputTokens[index]),
            decisions: UInt64(columns.decisions[index]),
            eventID: columns.eventString(index)
        )
    }
}
