import Foundation
import Synchronization

/// A small structured logger shaped like swift-log's `Logger`: a label,
/// levels, and metadata with dotted keys such as `connection.id`.
///
/// Lines go to standard error as `timestamp level label: message key=value`.
/// Never pass a secret (an API key, a key hash) as message or metadata.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable, CustomStringConvertible {
        case trace, debug, info, notice, warning, error, critical

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            case .critical: "critical"
            }
        }

        /// Parses a level name as `--log-level` takes it.
        public init?(name: String) {
            switch name.lowercased() {
            case "trace": self = .trace
            case "debug": self = .debug
            case "info": self = .info
            case "notice": self = .notice
            case "warning": self = .warning
            case "error": self = .error
            case "critical": self = .critical
            default: return nil
            }
        }
    }

    public typealias Metadata = [String: String]

    public let label: String
    public var logLevel: Level
    private let sink: LogSink

    /// Creates a logger that writes to standard error.
    public init(label: String, logLevel: Level = .info) {
        self.init(label: label, logLevel: logLevel, sink: .standardError)
    }

    /// Creates a logger that writes through `sink`, for example a capture in tests.
    public init(label: String, logLevel: Level = .info, sink: LogSink) {
        self.label = label
        self.logLevel = logLevel
        self.sink = sink
    }

    public func log(_ level: Level, _ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        guard level >= logLevel else { return }
        sink.write(level: level, label: label, message: message(), metadata: metadata())
    }

    public func trace(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.trace, message(), metadata: metadata())
    }

    public func debug(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.debug, message(), metadata: metadata())
    }

    public func info(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.info, message(), metadata: metadata())
    }

    public func notice(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.notice, message(), metadata: metadata())
    }

    public func warning(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.warning, message(), metadata: metadata())
    }

    public func error(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.error, message(), metadata: metadata())
    }

    public func critical(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.critical, message(), metadata: metadata())
    }
}

/// Where log lines go.
public final class LogSink: Sendable {
    /// Lines captured by a `capturing` sink, oldest first.
    public var lines: [String] { state.withLock { $0.lines } }

    private struct State {
        var lines: [String] = []
    }

    private let capture: Bool
    private let state = Mutex(State())

    private init(capture: Bool) {
        self.capture = capture
    }

    public static let standardError = LogSink(capture: false)

    /// Returns a sink that keeps lines in memory instead of printing them.
    public static func capturing() -> LogSink { LogSink(capture: true) }

    func write(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) {
        var line = "\(Self.timestamp()) \(level) \(label): \(message)"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(metadata[key]!)"
        }
        if capture {
            state.withLock { $0.lines.append(line) }
            return
        }
        line += "\n"
        state.withLock { _ in
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    private static func timestamp() -> String {
        Date.now.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
    }
}
