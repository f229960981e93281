import Foundation
import Synchronization
import TallySocket

/// Opens the connections, runs the worker threads and prints the figures.
enum LoadRun {
    static func run(_ options: Options) throws(UsageError) {
        let address = try loopbackAddress(options.server)
        let sizes = try TraceSizes.load(directory: options.tracePath)
        var connections: [BenchConnection] = []
        for _ in 0..<options.connections {
            connections.append(try BenchConnection.open(to: address, apiKey: options.apiKey))
        }
        // Each thread builds its factory (and payload pool) before the clock starts.
        let factories = (0..<options.threads).map { RequestFactory(options: options, sizes: sizes, worker: $0) }
        let start = Clock.nanoseconds()
        let measureStart = start + UInt64(options.warmupSeconds * 1e9)
        let measureEnd = options.requestLimit == nil ? measureStart + UInt64(options.durationSeconds * 1e9) : UInt64.max
        let results = Mutex<[WorkerResult]>([])
        var threads: [Thread] = []
        let done = DispatchGroup()
        for worker in 0..<options.threads {
            let share = stride(from: worker, to: connections.count, by: options.threads).map { connections[$0] }
            var budget: Int?
            if let limit = options.requestLimit {
                budget = limit / options.threads + (worker < limit % options.threads ? 1 : 0)
            }
            let box = WorkerBox(LoadWorker(
                options: options, factory: factories[worker], connections: share, measureStart: measureStart,
                measureEnd: measureEnd, sendBudget: budget))
            done.enter()
            let thread = Thread {
                var worker = box.take()
                let outcome = worker.run()
                results.withLock { $0.append(outcome) }
                done.leave()
            }
            thread.stackSize = 1 << 20
            threads.append(thread)
        }
        threads.forEach { $0.start() }
        done.wait()
        report(options, results.withLock { $0 }, measureStart: measureStart)
    }

    static func loopbackAddress(_ text: String) throws(UsageError) -> SocketAddress {
        let address: SocketAddress
        do {
            address = try SocketAddress.resolve(text)
        } catch {
            throw UsageError("--server: \(error.description)")
        }
        guard address.isLoopback else {
            throw UsageError("--server: \(text) is not a loopback address; tally-bench only loads servers on 127.0.0.0/8 or [::1]")
        }
        return address
    }

    static func report(_ options: Options, _ results: [WorkerResult], measureStart: UInt64) {
        var total = WorkerResult()
        for part in results {
            for (method, histogram) in part.histograms {
                total.histograms[method, default: Histogram()].merge(histogram)
            }
            total.measuredRequests += part.measuredRequests
            total.measuredRecords += part.measuredRecords
            total.errors += part.errors
            total.rejectedRecords += part.rejectedRecords
            total.closedConnections += part.closedConnections
            total.lastCompletion = max(total.lastCompletion, part.lastCompletion)
            if total.firstError.isEmpty { total.firstError = part.firstError }
        }
        let seconds = total.lastCompletion > measureStart ? Double(total.lastCompletion - measureStart) / 1e9 : 0
        let requestRate = seconds > 0 ? Double(total.measuredRequests) / seconds : 0
        let recordRate = seconds > 0 ? Double(total.measuredRecords) / seconds : 0
        let mixText = options.mix.map { "\($0.method.rawValue)=\($0.weight)" }.joined(separator: ",")
        print("tally-bench \(options.label): connections=\(options.connections) pipeline=\(options.pipeline) "
            + "records=\(options.recordsPerRequest) mix=\(mixText) threads=\(options.threads)"
            + (options.rate.map { " rate=\(Int($0))/s" } ?? ""))
        print("  \(total.measuredRequests) requests in \(format(seconds)) s: \(format(requestRate)) requests/s, "
            + "\(format(recordRate)) records/s; errors \(total.errors), rejected records (1 reply in 64 checked) "
            + "\(total.rejectedRecords), closed connections \(total.closedConnections)")
        if !total.firstError.isEmpty { print("  first error: \(total.firstError)") }
        var all = Histogram()
        for method in LoadMethod.allCases {
            guard let histogram = total.histograms[method] else { continue }
            all.merge(histogram)
            print("  \(method.rawValue): n=\(histogram.totalCount) " + latencyText(histogram))
            print("RESULT_METHOD label=\(options.label) method=\(method.rawValue) n=\(histogram.totalCount) "
                + latencyFields(histogram))
        }
        print("RESULT label=\(options.label) requests_per_s=\(format(requestRate)) records_per_s=\(format(recordRate)) "
            + "errors=\(total.errors) " + latencyFields(all))
    }

    static func latencyText(_ histogram: Histogram) -> String {
        "p50 \(micros(histogram.value(atPercentile: 50))) µs, p99 \(micros(histogram.value(atPercentile: 99))) µs, "
            + "p99.9 \(micros(histogram.value(atPercentile: 99.9))) µs, max \(micros(histogram.maxValue)) µs"
    }

    static func latencyFields(_ histogram: Histogram) -> String {
        "p50_us=\(micros(histogram.value(atPercentile: 50))) p99_us=\(micros(histogram.value(atPercentile: 99))) "
            + "p999_us=\(micros(histogram.value(atPercentile: 99.9))) max_us=\(micros(histogram.maxValue))"
    }

    static func micros(_ nanoseconds: UInt64) -> String { format(Double(nanoseconds) / 1000) }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// Hands a worker to the thread that runs it.
final class WorkerBox: @unchecked Sendable {  // @unchecked: written once before the thread starts, read only by that thread.
    private var worker: LoadWorker?
    init(_ worker: LoadWorker) { self.worker = worker }
    func take() -> LoadWorker {
        defer { worker = nil }
        return worker!
    }
}
