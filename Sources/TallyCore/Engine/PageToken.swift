import CTallySystem
import Foundation

/// Cursor of a `listRecords` walk: the resolved range of the first page and the key of the last returned record.
///
/// Encoded as base64url (no padding) of 33 bytes, little-endian: version (1), startMs (8), endMs (8),
/// cursor timestamp (8), cursor insertion index (4), CRC32C of the query identity (4).
struct PageToken: Equatable {
    static let version: UInt8 = 1
    var startMs: Int64
    var endMs: Int64
    var timestampMs: Int64
    var index: UInt32
    var queryCheck: UInt32

    /// Returns a checksum of what identifies a query, so a token is not reused for another one.
    static func queryCheck(accountID: String, range: RangeQuery, sessionID: String?) -> UInt32 {
        let preset: String = switch range.preset {
        case .none: "explicit:\(range.startMs):\(range.endMs)"
        case .today: "today"
        case .last7Days: "last7"
        case .last30Days: "last30"
        case .allTime: "all"
        }
        let identity = "\(accountID)\u{0}\(preset)\u{0}\(range.timeZone)\u{0}\(sessionID.map { "s:" + $0 } ?? "-")"
        return Array(identity.utf8).withUnsafeBytes { tally_crc32c(0, $0.baseAddress, $0.count) }
    }

    func encoded() -> String {
        var bytes: [UInt8] = [Self.version]
        ByteWriter.appendInteger(startMs, to: &bytes)
        ByteWriter.appendInteger(endMs, to: &bytes)
        ByteWriter.appendInteger(timestampMs, to: &bytes)
        ByteWriter.appendInteger(index, to: &bytes)
        ByteWriter.appendInteger(queryCheck, to: &bytes)
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes `text`, rejecting tokens that are malformed or belong to another query.
    init(decoding text: String, expectedCheck: UInt32) throws(MeteringError) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        let invalid = MeteringError.invalidArgument("page_token: \"\(text.prefix(64))\" is not a token returned by this query; start again with an empty token")
        guard text.utf8.count <= 64, let data = Data(base64Encoded: base64), data.count == 33, data.first == Self.version else {
            throw invalid
        }
        var reader = ByteReader(Array(data))
        _ = try? reader.readInteger(UInt8.self)
        guard let start = try? reader.readInteger(Int64.self),
              let end = try? reader.readInteger(Int64.self),
              let timestamp = try? reader.readInteger(Int64.self),
              let index = try? reader.readInteger(UInt32.self),
              let check = try? reader.readInteger(UInt32.self),
              check == expectedCheck, end > start
        else { throw invalid }
        startMs = start
        endMs = end
        timestampMs = timestamp
        self.index = index
        queryCheck = check
    }

    init(startMs: Int64, endMs: Int64, timestampMs: Int64, index: UInt32, queryCheck: UInt32) {
        self.startMs = startMs
        self.endMs = endMs
        self.timestampMs = timestampMs
        self.index = index
        self.queryCheck = queryCheck
    }
}
