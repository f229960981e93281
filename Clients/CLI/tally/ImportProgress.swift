import Foundation

/// The progress bar of `tally import` on standard error: rows sent, rows per
/// second and an estimate of the time left, redrawn at most ten times a second.
final class ImportProgress {
    private let total: Int
    /// The terminal standard error is attached to, or nil to draw nothing.
    private let terminal: Terminal?
    private let environment: [String: String]
    private let startedMs: Int64
    private var lastDrawnMs: Int64?

    /// Cells in the bar.
    static let barWidth = 30

    init(total: Int, terminal: Terminal?, environment: [String: String]) {
        self.total = total
        self.terminal = terminal
        self.environment = environment
        startedMs = Clock.nowMs(environment: environment)
    }

    /// Redraws the line after `done` rows were sent, unless it was drawn less than 100 ms ago.
    func update(done: Int) {
        guard terminal != nil, done < total else { return }
        let now = Clock.nowMs(environment: environment)
        if let lastDrawnMs, now - lastDrawnMs < 100 { return }
        lastDrawnMs = now
        draw(done: done, now: now, finished: false)
    }

    /// Draws the final line and ends it, after `done` rows were sent.
    func finish(done: Int) {
        guard terminal != nil else { return }
        draw(done: done, now: Clock.nowMs(environment: environment), finished: true)
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func draw(done: Int, now: Int64, finished: Bool) {
        guard let terminal else { return }
        let elapsedMs = now - startedMs
        let filled = total == 0 ? Self.barWidth : Self.barWidth * done / total
        let bar = terminal.paint(String(repeating: "█", count: filled), .cyan)
            + terminal.paint(String(repeating: "░", count: Self.barWidth - filled), .dim)
        let percent = total == 0 ? 100 : 100 * done / total
        // The rate is unknown until some time has passed, as when tests fix the clock.
        let rate = elapsedMs > 0 ? Double(done) * 1000 / Double(elapsedMs) : nil
        let rateText = rate.map { "\(Formatting.grouped(Int($0.rounded()))) rows/s" } ?? "- rows/s"
        let tail: String
        if finished {
            tail = "done in \(Formatting.seconds(milliseconds: elapsedMs))"
        } else if let rate, rate > 0 {
            let leftMs = Int64(Double(total - done) / rate * 1000)
            tail = "about \(Formatting.duration(milliseconds: leftMs)) left"
        } else {
            tail = "time left unknown"
        }
        let line = "\r\(bar) \(Formatting.padLeft("\(percent)%", 4))  \(Formatting.grouped(done)) / \(Formatting.grouped(total)) rows  \(rateText)  \(tail)"
        // Clear to the end of the line, so a shorter line leaves nothing of a longer one.
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
    }
}
