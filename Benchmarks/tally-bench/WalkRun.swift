import TallyWire

/// Pages through one account's records with ListRecords and reports latency by depth.
enum WalkRun {
    static func run(_ options: Options) throws(UsageError) {
        let address = try LoadRun.loopbackAddress(options.server)
        var connection = try BenchConnection.open(to: address, apiKey: options.apiKey)
        defer { connection.close() }
        let account = options.accountPrefix + "0"
        // Depth bands by page number: 1, 2-10, 11-100, 101-1000, ...
        var bands: [Histogram] = []
        var all = Histogram()
        var token = ""
        var page = 0
        var records = 0
        while page < options.walkPages {
            page += 1
            let request = ListRecordsRequest(accountID: account, pageSize: options.pageSize, pageToken: token)
            var frame: [UInt8] = []
            FrameEncoder.append(
                requestID: UInt32(page), kind: .request, method: Method.listRecords.rawValue, status: .ok,
                payload: request.serializedBytes(), to: &frame)
            let start = Clock.nanoseconds()
            connection.send(frame)
            var reply: BenchConnection.Reply?
            while reply == nil && connection.open {
                connection.fill()
                reply = connection.nextReply()
            }
            let elapsed = Clock.nanoseconds() - start
            guard let reply else { throw UsageError("connection closed at page \(page)") }
            guard reply.status == 0 else {
                let text = String(decoding: connection.receive[reply.payloadStart..<reply.payloadEnd], as: UTF8.self)
                throw UsageError("ListRecords page \(page) failed with status \(reply.status): \(text)")
            }
            let response = connection.receive.withUnsafeBytes { buffer in
                try? ListRecordsResponse(serializedBytes: UnsafeRawBufferPointer(rebasing: buffer[reply.payloadStart..<reply.payloadEnd]))
            }
            guard let response else { throw UsageError("undecodable ListRecordsResponse at page \(page)") }
            connection.compact()
            var band = 0
            var limit = 1
            while page > limit {
                band += 1
                limit *= 10
            }
            while bands.count <= band { bands.append(Histogram()) }
            bands[band].record(elapsed)
            all.record(elapsed)
            records += response.records.count
            token = response.nextPageToken
            if token.isEmpty { break }
        }
        print("tally-bench \(options.label): ListRecords walk of \(account), page size \(options.pageSize): \(page) pages, \(records) records")
        var low = 1
        var high = 1
        for (index, histogram) in bands.enumerated() where histogram.totalCount > 0 {
            if index > 0 {
                low = high + 1
                high *= 10
            }
            print("  pages \(low)-\(high) (records up to \(high * Int(options.pageSize)) deep): n=\(histogram.totalCount) "
                + LoadRun.latencyText(histogram))
            print("RESULT_DEPTH label=\(options.label) pages=\(low)-\(high) n=\(histogram.totalCount) " + LoadRun.latencyFields(histogram))
        }
        print("RESULT label=\(options.label) pages=\(page) records=\(records) " + LoadRun.latencyFields(all))
    }
}
