import Foundation
import Testing
import TallyClient
import TallyCore
import TallyServer
import TallyWire

@Suite struct AuthorizationTests {
    static let agentKey = "agent-key-acme-0123456789abcdef"
    static let otherAgentKey = "agent-key-lab-0123456789abcdef"
    static let serviceKey = "service-key-0123456789abcdef"
    static let adminKey = "admin-key-0123456789abcdef"

    static func configuration() throws -> ServerConfiguration {
        let json = """
        {"plans": {"free": {"tokens": 500000, "decisions": 5000, "sessions": 100}, "unlimited": {}},
         "accounts": {"acme": {"plan": "free", "time_zone": "Europe/Berlin"}, "lab": {"plan": "unlimited"}},
         "keys": [
           {"sha256": "\(KeyStore.sha256Hex(agentKey))", "role": "agent", "account": "acme"},
           {"sha256": "\(KeyStore.sha256Hex(otherAgentKey))", "role": "agent", "account": "lab"},
           {"sha256": "\(KeyStore.sha256Hex(serviceKey))", "role": "service"},
           {"sha256": "\(KeyStore.sha256Hex(adminKey))", "role": "admin", "name": "ops"}]}
        """
        return try ServerConfiguration.parse(Data(json.utf8), source: "test.json")
    }

    @Test func agentKeyReachesOnlyItsAccount() async throws {
        let server = try await TestServer(configuration: try Self.configuration())
        let agent = try await server.client(apiKey: Self.agentKey)
        #expect(agent.hello.accountID == "acme")
        #expect(agent.hello.role == .agent)

        let record = UsageRecord(sessionID: "s1", inputTokens: 10, outputTokens: 5)
        let own = try await agent.recordUsage(RecordUsageRequest(records: [record]))
        #expect(own.results.map(\.status) == [.ok])

        let error = await #expect(throws: RPCError.self) {
            _ = try await agent.recordUsage(RecordUsageRequest(accountID: "lab", records: [record]))
        }
        #expect(error?.code == .permissionDenied)
        // Denial for a missing account reads the same as for an existing one.
        let missing = await #expect(throws: RPCError.self) {
            _ = try await agent.getSummary(GetSummaryRequest(accountID: "nobody"))
        }
        #expect(missing?.code == .permissionDenied)
        #expect(missing?.message == error?.message)
        agent.close()
        await server.shutdown()
    }

    @Test func serviceKeyReadsSummariesOnly() async throws {
        let server = try await TestServer(configuration: try Self.configuration())
        let service = try await server.client(apiKey: Self.serviceKey)
        let summary = try await service.getSummary(GetSummaryRequest(accountID: "lab"))
        #expect(summary.totalTokens == 0)
        let quota = try await service.getQuota(GetQuotaRequest(accountID: "acme"))
        #expect(quota.plan == "free")

        let write = await #expect(throws: RPCError.self) {
            _ = try await service.recordUsage(RecordUsageRequest(accountID: "lab", records: [UsageRecord(sessionID: "s")]))
        }
        #expect(write?.code == .permissionDenied)
        let list = await #expect(throws: RPCError.self) {
            _ = try await service.listRecords(ListRecordsRequest(accountID: "lab"))
        }
        #expect(list?.code == .permissionDenied)
        let noAccount = await #expect(throws: RPCError.self) {
            _ = try await service.getSummary(GetSummaryRequest())
        }
        #expect(noAccount?.code == .invalidArgument)
        let unknown = await #expect(throws: RPCError.self) {
            _ = try await service.getSummary(GetSummaryRequest(accountID: "nobody"))
        }
        #expect(unknown?.code == .notFound)
        #expect(unknown?.message == "account \"nobody\" not found")
        service.close()
        await server.shutdown()
    }

    @Test func wrongOrMissingKeyIsUnauthenticated() async throws {
        let server = try await TestServer(configuration: try Self.configuration())
        for key in ["", "not-a-key"] {
            let error = await #expect(throws: RPCError.self) {
                _ = try await server.client(apiKey: key)
            }
            #expect(error?.code == .unauthenticated)
            #expect(error?.message.contains(key.isEmpty ? "api_key is missing" : "api_key is not valid") == true)
        }
        await server.shutdown()
    }

    @Test func defaultConfigurationAcceptsAnyClient() async throws {
        let server = try await TestServer()
        let client = try await server.client()
        #expect(client.hello.accountID == "default")
        #expect(client.hello.limits?.maxBatchRecords == 10_000)
        let quota = try await client.getQuota(GetQuotaRequest())
        #expect(quota.plan == "free")
        #expect(quota.resources.map(\.limit) == [500_000, 5_000, 100])
        client.close()
        await server.shutdown()
    }

    @Test func reloadRevokesKeys() async throws {
        let configuration = try Self.configuration()
        let keys = KeyStore(configuration: configuration)
        #expect(keys.authenticate(key: Self.adminKey)?.keyName == "ops")
        var reduced = configuration
        reduced.keys.removeAll { $0.name == "ops" }
        keys.replace(with: reduced)
        #expect(keys.authenticate(key: Self.adminKey) == nil)
        #expect(keys.authenticate(key: Self.agentKey)?.account == "acme")
    }
}
