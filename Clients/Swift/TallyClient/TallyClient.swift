import Foundation
import TallySocket
import TallyWire

/// A connection to tallyd speaking the native protocol.
///
/// Calls may run concurrently: each is sent at once with its own request id,
/// so many requests are in flight on the one connection (pipelining) and the
/// replies are matched by id in whatever order they arrive.
public final class TallyClient: Sendable {
    /// The server's Hello reply: its version, the key's role and account, and its limits.
    public let hello: HelloResponse
    /// The address this client connected to, as given.
    public let address: String
    private let connection: ClientConnection

    private init(address: String, connection: ClientConnection, hello: HelloResponse) {
        self.address = address
        self.connection = connection
        self.hello = hello
    }

    /// Connects to `address` (`HOST:PORT`) and authenticates with `apiKey`.
    ///
    /// - Parameters:
    ///   - timeout: how long each request, Hello included, may wait for its reply.
    /// - Throws: `RPCError` with UNAVAILABLE when the server cannot be reached,
    ///   UNAUTHENTICATED when the key is refused.
    public static func connect(to address: String, apiKey: String = "", clientName: String = "tally-swift/1.0",
                               timeout: Duration = .seconds(30)) async throws(RPCError) -> TallyClient {
        let resolved: SocketAddress
        let fd: Int32
        do {
            resolved = try SocketAddress.resolve(address)
            fd = try Socket.connect(to: resolved)
        } catch {
            throw RPCError(code: .unavailable, message: "cannot connect to \(address): \(error.description)")
        }
        let connection = ClientConnection(fd: fd, address: address, timeout: timeout)
        let request = HelloRequest(protocolVersion: 1, apiKey: apiKey, clientName: clientName)
        do {
            let hello = try await connection.call(.hello, request, as: HelloResponse.self)
            return TallyClient(address: address, connection: connection, hello: hello)
        } catch {
            connection.close()
            throw error
        }
    }

    /// Records a batch of usage records; the reply has one result per record, in order.
    public func recordUsage(_ request: RecordUsageRequest) async throws(RPCError) -> RecordUsageResponse {
        try await connection.call(.recordUsage, request, as: RecordUsageResponse.self)
    }

    /// Totals, distinct sessions and per-session usage for a range.
    public func getSummary(_ request: GetSummaryRequest) async throws(RPCError) -> GetSummaryResponse {
        try await connection.call(.getSummary, request, as: GetSummaryResponse.self)
    }

    /// One page of records, newest first.
    public func listRecords(_ request: ListRecordsRequest) async throws(RPCError) -> ListRecordsResponse {
        try await connection.call(.listRecords, request, as: ListRecordsResponse.self)
    }

    /// Usage against the plan's caps in a billing period, and fired notifications.
    public func getQuota(_ request: GetQuotaRequest) async throws(RPCError) -> GetQuotaResponse {
        try await connection.call(.getQuota, request, as: GetQuotaResponse.self)
    }

    /// Closes the connection; calls still waiting fail with UNAVAILABLE.
    public func close() {
        connection.close()
    }

    deinit {
        connection.close()
    }
}
