import Foundation
import Testing
import TallyClient
import TallyCore
import TallyServer
import TallyWire

@Suite struct AuthThrottleTests {
    @Test func delayGrowsWithFailuresAndIsCapped() {
        let throttle = AuthFailureThrottle()
        #expect(throttle.delay(peer: "10.0.0.1", nowMs: 0) == .zero)
        var delays: [Duration] = []
        for _ in 0..<6 {
            throttle.recordFailure(peer: "10.0.0.1", nowMs: 0)
            delays.append(throttle.delay(peer: "10.0.0.1", nowMs: 0))
        }
        #expect(delays == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(3), .seconds(3)])
        #expect(throttle.delay(peer: "10.0.0.2", nowMs: 0) == .zero)
        #expect(throttle.totalFailures == 6)
    }

    @Test func failureScoreDecays() {
        let throttle = AuthFailureThrottle()
        throttle.recordFailure(peer: "p", nowMs: 0)
        throttle.recordFailure(peer: "p", nowMs: 0)
        #expect(throttle.delay(peer: "p", nowMs: 0) == .milliseconds(500))
        // One half-life (60 s) halves the score from 2 to 1.
        #expect(throttle.delay(peer: "p", nowMs: 60_000) == .milliseconds(250))
        // After ten half-lives the score is under 0.5: no delay.
        #expect(throttle.delay(peer: "p", nowMs: 600_000) == .zero)
        // A failure then starts again from the decayed score.
        #expect(throttle.recordFailure(peer: "p", nowMs: 600_000) < 1.01)
    }

    @Test func zeroMaxDelayTurnsThrottleOff() {
        var settings = AuthFailureThrottle.Settings()
        settings.maxDelay = .zero
        let throttle = AuthFailureThrottle(settings: settings)
        throttle.recordFailure(peer: "p", nowMs: 0)
        #expect(throttle.delay(peer: "p", nowMs: 0) == .zero)
    }

    @Test func peerTableStaysBounded() {
        var settings = AuthFailureThrottle.Settings()
        settings.maxPeers = 4
        let throttle = AuthFailureThrottle(settings: settings)
        for index in 0..<10 {
            throttle.recordFailure(peer: "peer-\(index)", nowMs: Int64(index))
        }
        let tracked = (0..<10).filter { throttle.delay(peer: "peer-\($0)", nowMs: 10) > .zero }
        #expect(tracked.count == 4)
        #expect(tracked.contains(9))
    }

    @Test func throttledPeerIsServedWithoutBlockingOthers() async throws {
        var transport = TransportOptions()
        transport.authThrottle.baseDelay = .milliseconds(100)
        transport.authThrottle.maxDelay = .milliseconds(400)
        let sink = LogSink.capturing()
        let server = try await TestServer(configuration: try AuthorizationTests.configuration(), transport: transport,
                                          logSink: sink)
        let working = try await server.client(apiKey: AuthorizationTests.adminKey)

        let wrongKey = "wrong-key-7f3a9c"
        for _ in 0..<3 {
            let error = await #expect(throws: RPCError.self) {
                _ = try await server.client(apiKey: wrongKey)
            }
            #expect(error?.code == .unauthenticated)
            #expect(error?.message == "api_key is not valid; pass the key this server's configuration lists")
        }
        #expect(server.server.failedAuthentications == 3)

        // A Hello from the throttled address waits, and the loop keeps serving.
        let pending = try RawConnection(address: server.address)
        try pending.helloFrame(apiKey: AuthorizationTests.agentKey)
        try pending.sendFrame(requestID: 2, method: Method.getQuota.rawValue, payload: [])
        #expect(try await working.getQuota(GetQuotaRequest(accountID: "lab")).plan == "unlimited")
        let hello = try #require(await pending.readFrame())
        #expect(hello.requestID == 1)
        #expect(hello.status == .ok)
        // The request sent before the delayed reply is answered after it.
        let quota = try #require(await pending.readFrame())
        #expect(quota.requestID == 2)
        #expect(quota.status == .ok)
        #expect(try GetQuotaResponse(serializedBytes: quota.payload).accountID == "acme")

        let rejections = sink.lines.filter { $0.contains("Hello rejected") }
        #expect(rejections.count == 3)
        #expect(rejections.allSatisfy { !$0.contains(wrongKey) })
        #expect(rejections.last?.contains("failures.total=3") == true)
        #expect(sink.lines.allSatisfy { !$0.contains(AuthorizationTests.agentKey) })
        #expect(sink.lines.allSatisfy { !$0.contains(AuthorizationTests.adminKey) })
        working.close()
        await server.shutdown()
    }
}
