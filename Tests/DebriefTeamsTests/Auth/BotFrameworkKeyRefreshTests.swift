import DebriefFakeTeams
import DebriefTeams
import Foundation
import HTTPTypes
import Testing

@Suite("Bot Framework signing keys: cache, rotation and outages")
struct BotFrameworkKeyRefreshTests {
    @Test("keys are fetched once (metadata, then jwks_uri) and served from the cache afterwards")
    func cachedAfterFirstFetch() async throws {
        try await AuthHarness.with { harness in
            for _ in 0..<5 { #expect(await harness.accepts()) }
            #expect(harness.issuer.fetchCount(.metadata) == 1)
            #expect(harness.issuer.fetchCount(.keys) == 1)
        }
    }

    @Test("concurrent first requests share one fetch")
    func noThunderingHerd() async throws {
        try await AuthHarness.with { harness in
            let token = try harness.validToken()
            let accepted = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<20 { group.addTask { await harness.accepts(token: token) } }
                var count = 0
                for await accepted in group where accepted { count += 1 }
                return count
            }
            #expect(accepted == 20)
            #expect(harness.issuer.fetchCount(.keys) == 1)
        }
    }

    @Test("an unknown kid triggers one refetch, which finds a key Microsoft rotated in")
    func rotatedKeyFoundByRefetch() async throws {
        try await AuthHarness.with { harness in
            #expect(await harness.accepts())
            harness.clock.advance(by: .seconds(6 * 60))
            try harness.issuer.rotate(to: "fake-key-2")
            #expect(await harness.accepts(kid: "fake-key-2"))
            #expect(harness.issuer.fetchCount(.keys) == 2)
            // Both keys are cached now: neither needs another fetch.
            #expect(await harness.accepts(kid: "fake-key-1"))
            #expect(await harness.accepts(kid: "fake-key-2"))
            #expect(harness.issuer.fetchCount(.keys) == 2)
        }
    }

    @Test(
        "a kid still unknown after the refetch is refused, and another unknown kid within the interval does not refetch"
    )
    func unknownKidRateLimited() async throws {
        try await AuthHarness.with { harness in
            #expect(await harness.accepts())
            harness.clock.advance(by: .seconds(6 * 60))
            let first = try harness.issuer.token(harness.claims(), signing: .unknownKid("made-up-1"))
            #expect(await harness.failure(token: first) == .unknownKey)
            #expect(harness.issuer.fetchCount(.keys) == 2)

            harness.clock.advance(by: .seconds(60))
            let second = try harness.issuer.token(harness.claims(), signing: .unknownKid("made-up-2"))
            #expect(await harness.failure(token: second) == .unknownKey)
            #expect(harness.issuer.fetchCount(.metadata) == 2)
            #expect(harness.issuer.fetchCount(.keys) == 2)

            // Once the interval has passed, an unknown kid may refetch again.
            harness.clock.advance(by: .seconds(5 * 60))
            #expect(await harness.failure(token: second) == .unknownKey)
            #expect(harness.issuer.fetchCount(.keys) == 3)
        }
    }

    @Test("a key rotated in right after a fetch waits for the interval, then is found")
    func rotationWithinIntervalWaits() async throws {
        try await AuthHarness.with { harness in
            #expect(await harness.accepts())
            try harness.issuer.rotate(to: "fake-key-2")
            #expect(await harness.failure(signing: .rs256(kid: "fake-key-2")) == .unknownKey)
            #expect(harness.issuer.fetchCount(.keys) == 1)
            harness.clock.advance(by: .seconds(5 * 60))
            #expect(await harness.accepts(kid: "fake-key-2"))
            #expect(harness.issuer.fetchCount(.keys) == 2)
        }
    }

    @Test("with the key endpoint down at first, requests are refused; once it is back they pass after the interval")
    func outageAtStartup() async throws {
        try await AuthHarness.with { harness in
            harness.issuer.setDown(true)
            #expect(await harness.failure() == .keysUnavailable)
            #expect(harness.issuer.fetchCount(.metadata) == 1)

            harness.issuer.setDown(false)
            harness.clock.advance(by: .seconds(60))
            #expect(await harness.failure() == .keysUnavailable)
            #expect(harness.issuer.fetchCount(.metadata) == 1)

            harness.clock.advance(by: .seconds(4 * 60))
            #expect(await harness.accepts())
            #expect(harness.issuer.fetchCount(.metadata) == 2)
        }
    }

    @Test("only the JWKS failing is an outage too")
    func keySetOutage() async throws {
        try await AuthHarness.with { harness in
            harness.issuer.setFailing(.keys, status: .internalServerError)
            #expect(await harness.failure() == .keysUnavailable)
            #expect(harness.issuer.fetchCount(.keys) == 1)
        }
    }

    @Test("keys older than a day are refetched; when that fails the cached keys keep working")
    func dailyRefreshKeepsCacheOnFailure() async throws {
        try await AuthHarness.with { harness in
            #expect(await harness.accepts())
            harness.clock.advance(by: .seconds(23 * 3600))
            #expect(await harness.accepts())
            #expect(harness.issuer.fetchCount(.keys) == 1)

            harness.clock.advance(by: .seconds(3600))
            #expect(await harness.accepts())
            #expect(harness.issuer.fetchCount(.keys) == 2)

            harness.clock.advance(by: .seconds(24 * 3600))
            harness.issuer.setDown(true)
            #expect(await harness.accepts())
            #expect(harness.issuer.fetchCount(.metadata) == 3)
            // The failed refresh is not retried on every request.
            #expect(await harness.accepts())
            #expect(harness.issuer.fetchCount(.metadata) == 3)
            // After the interval it is retried, and picks up the keys once Microsoft answers again.
            harness.issuer.setDown(false)
            harness.clock.advance(by: .seconds(5 * 60))
            #expect(await harness.accepts())
            #expect(harness.issuer.fetchCount(.keys) == 3)
        }
    }

    @Test("a key Microsoft withdrew stops verifying after the daily refresh")
    func retiredKeyDropped() async throws {
        try await AuthHarness.with { harness in
            #expect(await harness.accepts())
            try harness.issuer.rotate(to: "fake-key-2", retireOthers: true)
            harness.clock.advance(by: .seconds(24 * 3600))
            #expect(await harness.failure(signing: .rs256(kid: "fake-key-1")) == .unknownKey)
            #expect(await harness.accepts(kid: "fake-key-2"))
        }
    }

    @Test("prefetching loads the keys before the first request")
    func prefetch() async throws {
        try await AuthHarness.with { harness in
            await harness.authenticator.prefetchKeys()
            #expect(harness.issuer.fetchCount(.keys) == 1)
            #expect(await harness.accepts())
            #expect(harness.issuer.fetchCount(.keys) == 1)
        }
    }
}
