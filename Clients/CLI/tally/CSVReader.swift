/// A CSV parser for RFC 4180 files: comma separated, fields optionally in
/// double quotes with `""` for a quote, LF or CRLF line ends.
struct CSVReader {
    private let bytes: [UInt8]
    private var index = 0
    /// The 1-based line on which the next row starts.
    private(set) var line = 1

    init(bytes: [UInt8]) {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        self.bytes = Array(bytes[start...])
    }

    /// Returns the next row and the line it started on; nil at the end.
    mutating func nextRow() throws(CLIError) -> (line: Int, fields: [String])? {
        guard index < bytes.count else { return nil }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var fieldWasQuoted = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == 34 {
                    if index < bytes.count && bytes[index] == 34 {
                        field.append(34)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == 10 { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case 34 where field.isEmpty && !fieldWasQuoted:
                quoted = true
                fieldWasQuoted = true
            case 44:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                fieldWasQuoted = false
            case 10:
                line += 1
                if field.last == 13 { field.removeLast() }
                fields.append(String(decoding: field, as: UTF8.self))
                return (startLine, fields)
            default:
                field.append(byte)
            }
        }
        if quoted {
            throw .failure("line \(startLine): a quoted field is not closed before the end of the file")
        }
        if field.last == 13 { field.removeLast() }
        fields.append(String(decoding: field, as: UTF8.self))
        return (startLine, fields)
    }
}
