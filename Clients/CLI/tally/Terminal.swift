import Glibc

/// The drawing mode of standard output: bars and colour on a terminal, plain
/// text for pipes and files.
struct Terminal {
    /// True when standard output is a terminal, or when tests set
    /// `TALLY_FORCE_TTY=1` to draw as if it were one.
    var isInteractive: Bool
    /// True when ANSI colours may be used: on a terminal and without `NO_COLOR`.
    var usesColor: Bool
    /// Columns available for one line.
    var width: Int

    /// Reads from the environment how to draw on standard output (or, for
    /// `stream`, on another descriptor).
    static func detect(stream: Int32 = STDOUT_FILENO, environment: [String: String]) -> Terminal {
        let forced = environment["TALLY_FORCE_TTY"] == "1"
        let interactive = forced || isatty(stream) == 1
        // NO_COLOR disables colour when it is set to any non-empty value (https://no-color.org).
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        return Terminal(isInteractive: interactive, usesColor: interactive && !noColor,
                        width: columns(stream: stream, environment: environment))
    }

    /// Returns the width from `COLUMNS`, else from the terminal, else 80.
    private static func columns(stream: Int32, environment: [String: String]) -> Int {
        if let text = environment["COLUMNS"], let value = Int(text), value > 0 {
            return value
        }
        var size = winsize()
        if ioctl(stream, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return 80
    }

    /// `text` in `style` when colour is on, else unchanged.
    func paint(_ text: String, _ style: Style) -> String {
        guard usesColor, !text.isEmpty else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }
}

/// ANSI select-graphic-rendition codes used by the views.
enum Style: String {
    case bold = "1"
    case dim = "2"
    case red = "31"
    case green = "32"
    case yellow = "33"
    case blue = "34"
    case magenta = "35"
    case cyan = "36"
    case boldRed = "1;31"
}
