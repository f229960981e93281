import TallyWire

/// Counts the fields of a request payload before protobuf-c decodes it.
///
/// protobuf-c 1.4.1 allocates a C struct for every element of a repeated
/// message field and a record for every unknown field. That is about 40 to 80
/// bytes per 2 bytes of input (an estimate from the struct sizes), so a 4 MiB
/// payload of empty records or unknown fields would cost hundreds of
/// megabytes before any limit is checked. This walk allocates nothing and
/// rejects such payloads first. Malformed input
/// ends the walk quietly, because the decoder reports it with its own message.
struct PayloadPrecheck {
    /// Fields allowed per RecordUsage record, counting unknown ones: the six
    /// known fields and some slack for clients that repeat a field.
    static let maxFieldsPerRecord = 16
    /// Fields allowed in any other request message, at all nesting levels.
    static let maxFieldsPerOtherRequest = 256

    let limits: ServiceLimits

    func check(method: Method, payload: [UInt8]) throws(RPCError) {
        // Field 2 is the records of RecordUsageRequest and the range of
        // GetSummaryRequest and ListRecordsRequest. The other fields are scalars.
        let nestedField: UInt64? = switch method {
        case .recordUsage, .getSummary, .listRecords: 2
        case .hello, .getQuota: nil
        }
        let counts = payload.withUnsafeBytes { Self.count(in: $0, nestedField: nestedField) }
        let name = Self.messageName(method)
        if method == .recordUsage {
            guard counts.nested <= limits.maxBatchRecords else {
                throw RPCError(code: .invalidArgument,
                               message: "records: \(counts.nested) records is over the maximum of \(limits.maxBatchRecords) per request (max_batch_records)")
            }
            let maxFields = (limits.maxBatchRecords + 1) * Self.maxFieldsPerRecord
            guard counts.fields <= maxFields else {
                throw RPCError(code: .invalidArgument,
                               message: "\(name) has \(counts.fields) fields, over the maximum of \(maxFields) (\(Self.maxFieldsPerRecord) per record); unknown fields count too")
            }
        } else {
            guard counts.fields <= Self.maxFieldsPerOtherRequest else {
                throw RPCError(code: .invalidArgument,
                               message: "\(name) has \(counts.fields) fields, over the maximum of \(Self.maxFieldsPerOtherRequest); unknown fields count too")
            }
        }
    }

    static func messageName(_ method: Method) -> String {
        switch method {
        case .hello: "HelloRequest"
        case .recordUsage: "RecordUsageRequest"
        case .getSummary: "GetSummaryRequest"
        case .listRecords: "ListRecordsRequest"
        case .getQuota: "GetQuotaRequest"
        }
    }

    /// Fields at the top level and inside `nestedField`, and how many times
    /// `nestedField` occurs.
    static func count(in bytes: UnsafeRawBufferPointer, nestedField: UInt64?) -> (fields: Int, nested: Int) {
        var fields = 0
        var nested = 0
        walk(bytes) { number, value in
            fields += 1
            if let value, number == nestedField {
                nested += 1
                walk(value) { _, _ in fields += 1 }
            }
        }
        return (fields, nested)
    }

    /// Calls `visit` with each field's number and, for length-delimited
    /// fields, its bytes; stops at the first malformed field.
    private static func walk(_ bytes: UnsafeRawBufferPointer, _ visit: (UInt64, UnsafeRawBufferPointer?) -> Void) {
        var index = 0
        while index < bytes.count {
            guard let key = readVarint(bytes, &index) else { return }
            let number = key >> 3
            switch key & 7 {
            case 0:
                guard readVarint(bytes, &index) != nil else { return }
                visit(number, nil)
            case 1, 5:
                let size = key & 7 == 1 ? 8 : 4
                guard bytes.count - index >= size else { return }
                index += size
                visit(number, nil)
            case 2:
                guard let length = readVarint(bytes, &index), length <= UInt64(bytes.count - index) else { return }
                let value = UnsafeRawBufferPointer(rebasing: bytes[index..<(index + Int(length))])
                index += Int(length)
                visit(number, value)
            default:
                return
            }
        }
    }

    private static func readVarint(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
