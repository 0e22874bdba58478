import DebriefCore
import DebriefStore
import DebriefStorePostgres
import DebriefStoreTestSupport
import Foundation
import Testing

/// What only the PostgreSQL job queue has: notifications that wake the workers of every replica, and sealed
/// identifiers in a database shared by replicas. Runs when `DEBRIEF_TEST_POSTGRES_URL` names a server.
@Suite("PostgreSQL job queue", .enabled(if: StoreBackend.postgres != nil))
struct PostgresJobQueueTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    func job(key: String, at seconds: TimeInterval = 0) -> NewJob {
        NewJob(
            kind: "nudge.send", parameters: Data("{}".utf8), runAt: t0.addingTimeInterval(seconds), dedupeKey: key,
            maxAttempts: 3)
    }

    @Test("a job enqueued on one replica wakes the listener of another, and so does a job going back to pending")
    func notificationArrives() async throws {
        try await ReplicaStores.with(try #require(StoreBackend.postgres)) { replicas in
            let listening = try #require(replicas.stores.first as? PostgresStore)
            let enqueueing = replicas.replica(1)
            try await Listener.run(listening.jobNotifications()) { signals in
                try await signals.expectOne("once listening (work may have arrived before)")
                try await enqueueing.enqueue([job(key: "a"), job(key: "b")])
                try await signals.expectOne("after an enqueue on the other replica")

                let claimed = try await enqueueing.claimJobs(
                    kinds: nil, limit: 2, worker: "w", leaseFor: .seconds(60), now: t0)
                #expect(claimed.count == 2)
                let retry = try #require(claimed.first)
                #expect(try await enqueueing.failJob(id: retry.id, worker: "w", error: "503", retryAt: t0) == .pending)
                try await signals.expectOne("after a failed attempt put a job back to pending")

                let dead = try #require(claimed.last)
                #expect(try await enqueueing.failJob(id: dead.id, worker: "w", error: "gone", retryAt: nil) == .dead)
                #expect(try await enqueueing.retryDeadJob(id: dead.id, now: t0))
                try await signals.expectOne("after an operator retried a dead job")
            }
        }
    }

    @Test("the listener reconnects after losing its connection and wakes the worker once it listens again")
    func listenerReconnects() async throws {
        let server = try #require(StoreBackend.postgresServer)
        // The database does not exist yet: the listener retries until it does.
        let name = "debrief_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let settings = server.with(database: name)
        let notifications = PostgresJobNotifications(
            settings: settings, backoff: .init(first: .milliseconds(50), maximum: .milliseconds(200)))
        do {
            try await Listener.run(notifications) { signals in
                for round in 1...2 {
                    try await PostgresDatabases.create(name, on: server)
                    let store = try PostgresStore(settings: settings)
                    defer { store.close() }
                    try await store.migrate()
                    try await signals.expectOne("once listening, round \(round)")
                    try await store.enqueue([job(key: "round-\(round)")])
                    try await signals.expectOne("after an enqueue, round \(round)")
                    // Dropping the database ends every connection to it, the listener's too.
                    try await PostgresDatabases.drop(name, on: server)
                }
            }
        } catch {
            try? await PostgresDatabases.drop(name, on: server)
            throw error
        }
    }

    @Test("reconnect pauses double from the first to the maximum and start again once listening")
    func backoff() {
        var backoff = PostgresJobNotifications.Backoff()
        #expect((0..<7).map { _ in backoff.next() } == [1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
        backoff.reset()
        #expect(backoff.next() == .seconds(1))
        var odd = PostgresJobNotifications.Backoff(first: .seconds(5), maximum: .seconds(2))
        #expect(odd.next() == .seconds(5) && odd.next() == .seconds(5), "the maximum is never below the first")
    }

    @Test("identifiers queued on one replica open on another with the same key, and on no store with another key")
    func identifiersSealedForTheKey() async throws {
        try await ReplicaStores.with(try #require(StoreBackend.postgres)) { replicas in
            let named = JobIdentifiers(["users": ["U0SECRET1"], "emails": ["secret@example.com"]])
            try await replicas.replica(0).enqueue([
                NewJob(kind: "training.resolve", parameters: Data("{}".utf8), runAt: t0, identifiers: named)
            ])
            let claimed = try #require(
                try await replicas.replica(1).claimJobs(
                    kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(60), now: t0
                ).first)
            #expect(claimed.identifiers == named)

            let thief = try PostgresStore(
                settings: try #require(replicas.postgresSettings),
                pseudonymKey: .configured("a-guessed-key-0123456789"))
            defer { thief.close() }
            await #expect(throws: StoreError.self) { _ = try await thief.job(id: claimed.id) }
            // A claim that cannot open what it claimed takes nothing: the transaction rolls back.
            let expired = t0.addingTimeInterval(60)
            await #expect(throws: StoreError.self) {
                _ = try await thief.claimJobs(kinds: nil, limit: 1, worker: "t", leaseFor: .seconds(1), now: expired)
            }
            let untouched = try await replicas.replica(0).job(id: claimed.id)
            #expect(untouched?.claimedBy == "w" && untouched?.attempts == 1)
        }
    }
}

/// A job-notification listener running for the length of a test, its callbacks counted.
private enum Listener {
    /// How long a test waits for a notification before it fails (instead of hanging).
    static let patience: Duration = .seconds(60)

    /// The listener's callbacks, one element each.
    struct Signals {
        var iterator: AsyncStream<Void>.Iterator

        /// Waits for the next callback; fails the test when none comes within ``patience``.
        mutating func expectOne(_ what: String) async throws {
            let arrived = await iterator.next() != nil
            try #require(arrived, "no notification \(what) within \(patience)")
        }
    }

    /// Runs `notifications` while `body` runs, then cancels it and waits until it returned.
    static func run(
        _ notifications: PostgresJobNotifications, _ body: (inout Signals) async throws -> Void
    ) async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await notifications.run { continuation.yield() } }
            group.addTask {
                // Past the deadline the stream ends, so a wait fails instead of hanging.
                try? await Task.sleep(for: patience)
                continuation.finish()
            }
            var signals = Signals(iterator: stream.makeAsyncIterator())
            try await body(&signals)
            group.cancelAll()
            try await group.waitForAll()
        }
    }
}
