import CTallySystem
import Glibc
import TallySocket
import TallyWire

/// What one client thread measured.
struct WorkerResult: Sendable {
    var histograms: [LoadMethod: Histogram] = [:]
    var measuredRequests = 0
    var measuredRecords = 0
    var errors = 0
    var rejectedRecords = 0
    var firstError = ""
    var lastCompletion: UInt64 = 0
    var closedConnections = 0
}

/// Drives a share of the connections from one thread: fills each pipeline window, polls for
/// replies, and times every request from send (or scheduled send, when paced) to reply.
struct LoadWorker {
    let options: Options
    var factory: RequestFactory
    var connections: [BenchConnection]
    var result = WorkerResult()
    let measureStart: UInt64
    let measureEnd: UInt64
    var sendBudget: Int?
    let interval: UInt64?

    init(options: Options, factory: RequestFactory, connections: [BenchConnection], measureStart: UInt64,
         measureEnd: UInt64, sendBudget: Int?) {
        self.options = options
        self.factory = factory
        self.connections = connections
        self.measureStart = measureStart
        self.measureEnd = measureEnd
        self.sendBudget = sendBudget
        if let rate = options.rate, rate > 0 {
            interval = UInt64(1e9 * Double(options.connections) / rate)
        } else {
            interval = nil
        }
        let start = Clock.nanoseconds()
        for index in connections.indices {
            // Spread the first sends of paced connections over one interval.
            self.connections[index].nextDue = start + (interval ?? 0) * UInt64(index) / UInt64(max(1, connections.count))
        }
    }

    mutating func run() -> WorkerResult {
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        defer { Glibc.close(epoll) }
        for index in connections.indices {
            var event = epoll_event()
            event.events = EPOLLIN.rawValue
            event.data.u32 = UInt32(index)
            epoll_ctl(epoll, EPOLL_CTL_ADD, connections[index].fd, &event)
        }
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var stoppedAt: UInt64?
        while true {
            let now = Clock.nanoseconds()
            let sending = now < measureEnd && (sendBudget ?? 1) > 0
            var inFlight = 0
            var earliestDue = UInt64.max
            for index in connections.indices where connections[index].open {
                if sending {
                    fillWindow(index, now: now)
                    if interval != nil { earliestDue = min(earliestDue, connections[index].nextDue) }
                }
                inFlight += connections[index].inFlight.count
            }
            if !sending {
                // Wait up to 5 s for the replies still in flight.
                let stopped = stoppedAt ?? now
                stoppedAt = stopped
                if inFlight == 0 || now > stopped + 5_000_000_000 { break }
            }
            // Paced runs wake when the next request is due, but at most once per
            // 200 µs: waking for every request would spend the client's CPU,
            // which shares the machine with the server, on wake-ups. Latency still
            // counts from each request's scheduled time, so late sends are charged.
            var timeout = timespec(tv_sec: 0, tv_nsec: 50_000_000)
            if sending, earliestDue != .max {
                let wait = earliestDue > now ? max(earliestDue - now, 200_000) : 0
                timeout = timespec(tv_sec: 0, tv_nsec: Int(min(wait, 50_000_000)))
            }
            let ready = epoll_pwait2(epoll, &events, Int32(events.count), &timeout, nil)
            if ready <= 0 { continue }
            let readAt = Clock.nanoseconds()
            for slot in 0..<Int(ready) {
                let index = Int(events[slot].data.u32)
                guard connections[index].open else { continue }
                connections[index].fill()
                if !connections[index].open {
                    result.closedConnections += 1
                    epoll_ctl(epoll, EPOLL_CTL_DEL, connections[index].fd, nil)
                }
                drainReplies(index, now: readAt)
            }
        }
        for connection in connections { connection.close() }
        return result
    }

    private mutating func fillWindow(_ index: Int, now: UInt64) {
        var buffer = connections[index].sendBuffer
        buffer.removeAll(keepingCapacity: true)
        while connections[index].inFlight.count < options.pipeline {
            if let budget = sendBudget, budget <= 0 { break }
            var start = now
            if let interval {
                guard connections[index].nextDue <= now else { break }
                start = connections[index].nextDue
                connections[index].nextDue += interval
            }
            let method = factory.nextMethod()
            let payload = factory.payload(for: method)
            let id = connections[index].nextRequestID
            connections[index].nextRequestID &+= 1
            let wireMethod: Method
            switch method {
            case .record: wireMethod = .recordUsage
            case .quota: wireMethod = .getQuota
            case .summary: wireMethod = .getSummary
            case .list: wireMethod = .listRecords
            }
            FrameEncoder.append(
                requestID: id, kind: .request, method: wireMethod.rawValue, status: .ok, payload: payload, to: &buffer)
            let measured = start >= measureStart
            if measured, sendBudget != nil { sendBudget! -= 1 }
            connections[index].inFlight[id] = BenchConnection.Pending(start: start, method: method, measured: measured)
        }
        if !buffer.isEmpty {
            connections[index].send(buffer)
        }
        connections[index].sendBuffer = buffer
    }

    private mutating func drainReplies(_ index: Int, now: UInt64) {
        while let reply = connections[index].nextReply() {
            guard let pending = connections[index].inFlight.removeValue(forKey: reply.requestID) else {
                result.errors += 1
                if result.firstError.isEmpty { result.firstError = "reply to unknown request id \(reply.requestID)" }
                continue
            }
            if reply.status != 0 {
                result.errors += 1
                if result.firstError.isEmpty {
                    let text = String(decoding: connections[index].receive[reply.payloadStart..<reply.payloadEnd], as: UTF8.self)
                    result.firstError = "\(pending.method.rawValue): status \(reply.status): \(text)"
                }
            } else if pending.method == .record {
                connections[index].recordReplies += 1
                // Check the per-record results of a sample of the replies.
                if connections[index].recordReplies % 64 == 1 {
                    checkRecordReply(index, reply)
                }
            }
            guard pending.measured else { continue }
            result.measuredRequests += 1
            if pending.method == .record { result.measuredRecords += options.recordsPerRequest }
            result.histograms[pending.method, default: Histogram()].record(now > pending.start ? now - pending.start : 0)
            result.lastCompletion = max(result.lastCompletion, now)
        }
    }

    private mutating func checkRecordReply(_ index: Int, _ reply: BenchConnection.Reply) {
        let decoded = connections[index].receive.withUnsafeBytes { buffer in
            try? RecordUsageResponse(serializedBytes: UnsafeRawBufferPointer(rebasing: buffer[reply.payloadStart..<reply.payloadEnd]))
        }
        guard let decoded else {
            result.errors += 1
            if result.firstError.isEmpty { result.firstError = "undecodable RecordUsageResponse" }
            return
        }
        for record in decoded.results where record.status != .ok {
            result.rejectedRecords += 1
            if result.firstError.isEmpty { result.firstError = "record rejected: \(record.status.name): \(record.message)" }
        }
    }
}
