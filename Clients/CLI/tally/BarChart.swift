/// Horizontal bars drawn with block characters. Each part of a bar has its
/// own glyph as well as its own colour, so that parts stay apart with
/// `NO_COLOR` too.
enum BarChart {
    /// One part of a stacked bar.
    struct Segment {
        var value: UInt64
        var glyph: Character
        var style: Style
    }

    /// The glyph and colour of input tokens.
    static let input = (glyph: Character("█"), style: Style.cyan)
    /// The glyph and colour of output tokens.
    static let output = (glyph: Character("▒"), style: Style.magenta)

    /// Cells for `segments` side by side, where `scale` fills `width` cells.
    /// Cell boundaries come from rounding the running sums, so the parts add
    /// up to the rounded whole. The result is padded with spaces to `width`.
    static func stacked(_ segments: [Segment], scale: UInt64, width: Int, terminal: Terminal) -> String {
        var text = ""
        var sum: UInt64 = 0
        var drawn = 0
        for segment in segments {
            sum += segment.value
            let end = cells(sum, scale: scale, width: width)
            text += terminal.paint(String(repeating: segment.glyph, count: end - drawn), segment.style)
            drawn = end
        }
        return text + String(repeating: " ", count: width - drawn)
    }

    /// A gauge of `used` against `limit` with dotted marks at the given
    /// percentages. The filled part turns yellow from the first mark and red
    /// from the last; usage beyond the limit fills the whole bar.
    static func gauge(used: UInt64, limit: UInt64, marks: [Int], width: Int, terminal: Terminal) -> String {
        let filled = cells(min(used, limit), scale: limit, width: width)
        let markCells = Set(marks.map { $0 * width / 100 })
        var style = Style.green
        if let last = marks.last, used * 100 >= UInt64(last) * limit {
            style = .red
        } else if let first = marks.first, used * 100 >= UInt64(first) * limit {
            style = .yellow
        }
        var rest = ""
        for cell in filled..<width {
            rest.append(markCells.contains(cell) ? "┊" : "░")
        }
        return terminal.paint(String(repeating: "█", count: filled), style) + terminal.paint(rest, .dim)
    }

    /// Cells for `value` out of `scale` in `width` cells, rounded to nearest.
    static func cells(_ value: UInt64, scale: UInt64, width: Int) -> Int {
        guard scale > 0 else { return 0 }
        let exact = Double(value) * Double(width) / Double(scale)
        return min(Int(exact.rounded(.toNearestOrAwayFromZero)), width)
    }
}
