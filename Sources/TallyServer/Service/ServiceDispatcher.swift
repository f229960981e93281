import TallyWire

/// Decodes a request payload for a method, runs its handler and encodes the
/// reply. Transports pass it bytes and a caller, and framing stays with them.
public struct ServiceDispatcher: Sendable {
    public let service: MeteringService

    public init(service: MeteringService) {
        self.service = service
    }

    /// A reply ready for any transport: a status and, for OK, the encoded
    /// response message, otherwise the UTF-8 error message.
    public struct Reply: Sendable {
        public var status: StatusCode
        public var payload: [UInt8]

        static func failure(_ error: RPCError) -> Reply {
            Reply(status: error.code, payload: Array(error.message.utf8))
        }
    }

    /// Runs one request of an authenticated caller. The transport handles
    /// Hello itself, because Hello changes the connection's state.
    public func dispatch(method: Method, payload: [UInt8], caller: Caller) async -> Reply {
        do throws(RPCError) {
            switch method {
            case .hello:
                throw RPCError(code: .failedPrecondition, message: "Hello was already answered on this connection")
            case .recordUsage:
                let request = try decode(RecordUsageRequest.self, payload, method: .recordUsage)
                return Reply(status: .ok, payload: try await service.recordUsage(request, caller: caller).serializedBytes())
            case .getSummary:
                let request = try decode(GetSummaryRequest.self, payload, method: .getSummary)
                return Reply(status: .ok, payload: try await service.getSummary(request, caller: caller).serializedBytes())
            case .listRecords:
                let request = try decode(ListRecordsRequest.self, payload, method: .listRecords)
                return Reply(status: .ok, payload: try await service.listRecords(request, caller: caller).serializedBytes())
            case .getQuota:
                let request = try decode(GetQuotaRequest.self, payload, method: .getQuota)
                return Reply(status: .ok, payload: try await service.getQuota(request, caller: caller).serializedBytes())
            }
        } catch {
            return .failure(error)
        }
    }

    /// One request of an authenticated caller, as a transport hands it over.
    public struct Call: Sendable {
        public var method: Method
        public var payload: [UInt8]
        public var caller: Caller

        public init(method: Method, payload: [UInt8], caller: Caller) {
            self.method = method
            self.payload = payload
            self.caller = caller
        }
    }

    /// Runs many requests at once and passes each reply to `deliver` with the
    /// request's position, as soon as it is ready. All RecordUsage requests
    /// share one core call (one hop and one durability wait per shard), and
    /// each read runs on its own, so no read waits for a write's disk sync.
    public func dispatch(batch calls: [Call], deliver: @escaping @Sendable ([(position: Int, reply: Reply)]) -> Void) async {
        var writes: [(position: Int, request: RecordUsageRequest, caller: Caller)] = []
        var reads: [Int] = []
        var failures: [(position: Int, reply: Reply)] = []
        for (position, call) in calls.enumerated() {
            guard call.method == .recordUsage else {
                reads.append(position)
                continue
            }
            do throws(RPCError) {
                writes.append((position, try decode(RecordUsageRequest.self, call.payload, method: .recordUsage), call.caller))
            } catch {
                failures.append((position, .failure(error)))
            }
        }
        if !failures.isEmpty {
            deliver(failures)
        }
        let decodedWrites = writes
        let readPositions = reads
        await withTaskGroup(of: Void.self) { group in
            if !decodedWrites.isEmpty {
                group.addTask {
                    let results = await service.recordUsage(batch: decodedWrites.map { ($0.request, $0.caller) })
                    let replies = zip(decodedWrites, results).map { write, result -> (position: Int, reply: Reply) in
                        switch result {
                        case .success(let response): (write.position, Reply(status: .ok, payload: response.serializedBytes()))
                        case .failure(let error): (write.position, .failure(error))
                        }
                    }
                    deliver(replies)
                }
            }
            for position in readPositions {
                let call = calls[position]
                group.addTask {
                    deliver([(position, await dispatch(method: call.method, payload: call.payload, caller: call.caller))])
                }
            }
        }
    }

    /// Checks a connection's Hello payload and returns the reply and the caller.
    public func hello(payload: [UInt8]) -> Result<(Reply, Caller), RPCError> {
        do throws(RPCError) {
            let request = try decode(HelloRequest.self, payload, method: .hello)
            let (response, caller) = try service.hello(request)
            return .success((Reply(status: .ok, payload: response.serializedBytes()), caller))
        } catch {
            return .failure(error)
        }
    }

    private func decode<Message: WireMessage>(_ type: Message.Type, _ payload: [UInt8], method: Method) throws(RPCError) -> Message {
        try PayloadPrecheck(limits: service.limits).check(method: method, payload: payload)
        do {
            return try Message(serializedBytes: payload)
        } catch {
            throw RPCError(code: .invalidArgument, message: error.description)
        }
    }
}
