import DebriefCore
import DebriefStore
import DebriefStoreTestSupport
import Foundation
import Testing

/// The behaviour every `JobQueue` must show. Runs against every backend in `StoreBackend.all` (SQLite in memory
/// and in a file; PostgreSQL joins there).
@Suite("JobQueue contract", .cleansUpStores)
struct JobQueueContractTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18

    func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    func newJob(
        _ kind: String = "nudge.send", at seconds: TimeInterval = 0, key: String? = nil, maxAttempts: Int = 3,
        payload: String = "{}"
    ) -> NewJob {
        NewJob(
            kind: kind, parameters: Data(payload.utf8), runAt: at(seconds), dedupeKey: key, bucket: "slack:T0001",
            maxAttempts: maxAttempts)
    }

    @Test("dedupe keys are unique while the job exists, also within one call", arguments: StoreBackend.all)
    func dedupe(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        #expect(try await store.enqueue([newJob(key: "nudge:p1:s1"), newJob(key: "nudge:p1:s1"), newJob()]) == 2)
        #expect(try await store.enqueue([newJob(key: "nudge:p1:s1"), newJob(key: "nudge:p1:s2"), newJob()]) == 2)
        // Done jobs keep their key: a digest is posted once per target and week.
        let claimed = try await store.claimJobs(kinds: nil, limit: 10, worker: "w1", leaseFor: .seconds(60), now: t0)
        #expect(claimed.count == 4)
        for job in claimed { #expect(try await store.completeJob(id: job.id, worker: "w1")) }
        #expect(try await store.enqueue([newJob(key: "nudge:p1:s1")]) == 0)
        // Purging done jobs frees their keys.
        #expect(try await store.purgeCompletedJobs(runBefore: at(1)) == 4)
        #expect(try await store.enqueue([newJob(key: "nudge:p1:s1")]) == 1)
        #expect(try await store.enqueue([]) == 0)
    }

    @Test(
        "claims take due jobs only, oldest first, up to the limit, and only the asked kinds",
        arguments: StoreBackend.all)
    func claimOrder(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.enqueue([
            newJob(at: 30, payload: "{\"n\":3}"), newJob(at: -60, payload: "{\"n\":1}"),
            newJob(at: 0, payload: "{\"n\":2}"), newJob(at: 3_600, payload: "{\"n\":4}"),
            newJob("digest.post", at: -120),
        ])
        let first = try await store.claimJobs(
            kinds: ["nudge.send"], limit: 2, worker: "w1", leaseFor: .seconds(300), now: t0)
        #expect(first.map { String(decoding: $0.parameters, as: UTF8.self) } == ["{\"n\":1}", "{\"n\":2}"])
        #expect(first.allSatisfy { $0.state == .running && $0.attempts == 1 && $0.claimedBy == "w1" })
        #expect(first.allSatisfy { $0.claimedUntil == at(300) && $0.bucket == "slack:T0001" && $0.maxAttempts == 3 })
        // The job due in 30 s is not due yet; the one in an hour neither.
        #expect(
            try await store.claimJobs(kinds: ["nudge.send"], limit: 10, worker: "w1", leaseFor: .seconds(300), now: t0)
                .isEmpty)
        let later = try await store.claimJobs(
            kinds: ["nudge.send"], limit: 10, worker: "w1", leaseFor: .seconds(300), now: at(30))
        #expect(later.map { String(decoding: $0.parameters, as: UTF8.self) } == ["{\"n\":3}"])
        // Other kinds were left for their own workers.
        let digests = try await store.claimJobs(kinds: nil, limit: 10, worker: "w2", leaseFor: .seconds(60), now: t0)
        #expect(digests.map(\.kind) == ["digest.post"])
        #expect(
            try await store.claimJobs(kinds: [], limit: 10, worker: "w2", leaseFor: .seconds(60), now: at(9_999))
                .isEmpty)
        #expect(
            try await store.claimJobs(kinds: nil, limit: 0, worker: "w2", leaseFor: .seconds(60), now: at(9_999))
                .isEmpty)
    }

    @Test(
        "the next due date is the earliest pending run time or lease end of the asked kinds; done and dead jobs do not count",
        arguments: StoreBackend.all)
    func nextDueDate(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        #expect(try await store.nextDueDate(kinds: nil) == nil, "an empty queue has nothing due, ever")
        try await store.enqueue([
            newJob(at: 600, key: "a"), newJob(at: 60, key: "b"), newJob("digest.post", at: 30, key: "c"),
            newJob(at: -10, key: "done", maxAttempts: 1), newJob(at: -20, key: "dead", maxAttempts: 1),
        ])
        #expect(try await store.nextDueDate(kinds: nil) == at(-20), "already due: a date in the past")
        #expect(try await store.nextDueDate(kinds: []) == nil)
        #expect(try await store.nextDueDate(kinds: ["unknown.kind"]) == nil)
        let finished = try await store.claimJobs(
            kinds: ["nudge.send"], limit: 2, worker: "w", leaseFor: .seconds(60), now: t0)
        #expect(finished.compactMap(\.dedupeKey) == ["dead", "done"])
        for job in finished {
            if job.dedupeKey == "done" {
                #expect(try await store.completeJob(id: job.id, worker: "w"))
            } else {
                #expect(try await store.failJob(id: job.id, worker: "w", error: "gone", retryAt: nil) == .dead)
            }
        }
        #expect(try await store.nextDueDate(kinds: ["nudge.send"]) == at(60))
        #expect(try await store.nextDueDate(kinds: ["digest.post"]) == at(30))
        #expect(try await store.nextDueDate(kinds: nil) == at(30))
        // A running job's lease end counts: a worker that dies leaves its job to be claimed then.
        let running = try await store.claimJobs(
            kinds: ["nudge.send"], limit: 1, worker: "w", leaseFor: .seconds(40), now: at(60))
        #expect(running.map(\.dedupeKey) == ["b"])
        #expect(try await store.nextDueDate(kinds: ["nudge.send"]) == at(100))
        #expect(try await store.nextDueDate(kinds: ["nudge.send", "digest.post"]) == at(30))
    }

    @Test("failures go back to pending at the retry time, then become a dead letter", arguments: StoreBackend.all)
    func deadLetter(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.enqueue([newJob(key: "k", maxAttempts: 3)])
        var now = t0
        for attempt in 1...3 {
            let claimed = try await store.claimJobs(kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(60), now: now)
            let job = try #require(claimed.first)
            #expect(job.attempts == attempt)
            let retryAt = now.addingTimeInterval(30 * Double(attempt))
            let state = try await store.failJob(id: job.id, worker: "w", error: "HTTP 503", retryAt: retryAt)
            #expect(state == (attempt < 3 ? .pending : .dead))
            let stored = try #require(try await store.job(id: job.id))
            #expect(stored.lastError == "HTTP 503")
            #expect(stored.claimedBy == nil && stored.claimedUntil == nil)
            if attempt < 3 {
                #expect(stored.runAt == retryAt)
                // Not due before the retry time.
                #expect(
                    try await store.claimJobs(
                        kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(60),
                        now: retryAt.addingTimeInterval(-1)
                    ).isEmpty)
                now = retryAt
            }
        }
        let dead = try await store.deadJobs(limit: 10)
        #expect(dead.map(\.dedupeKey) == ["k"])
        #expect(dead.first?.attempts == 3)
        #expect(
            try await store.claimJobs(kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(60), now: at(99_999))
                .isEmpty)

        // An operator retries it: fresh attempts, due now.
        let id = try #require(dead.first?.id)
        #expect(try await store.retryDeadJob(id: id, now: at(7_200)))
        #expect(try await store.retryDeadJob(id: id, now: at(7_200)) == false)  // no longer dead
        #expect(try await store.deadJobs(limit: 10).isEmpty)
        let again = try await store.claimJobs(kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(60), now: at(7_200))
        #expect(again.map(\.attempts) == [1])
        #expect(again.first?.lastError == "HTTP 503")
    }

    @Test("a permanent failure is dead at once; long errors are cut", arguments: StoreBackend.all)
    func permanentFailure(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.enqueue([newJob(maxAttempts: 5)])
        let job = try #require(
            try await store.claimJobs(kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(60), now: t0).first)
        let long = String(repeating: "x", count: 5_000)
        #expect(try await store.failJob(id: job.id, worker: "w", error: long, retryAt: nil) == .dead)
        let stored = try #require(try await store.job(id: job.id))
        #expect(stored.state == .dead && stored.attempts == 1)
        #expect(stored.lastError?.count == backend.maximumJobErrorLength)
    }

    @Test("an error text with a NUL character does not stop the failure being recorded", arguments: StoreBackend.all)
    func errorWithNul(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.enqueue([newJob(maxAttempts: 3)])
        let job = try #require(
            try await store.claimJobs(kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(60), now: t0).first)
        // Error texts may quote a response body; PostgreSQL's TEXT refuses U+0000, and a failure that cannot be
        // recorded would leave the job claimed until its lease runs out.
        #expect(
            try await store.failJob(id: job.id, worker: "w", error: "HTTP 502: \u{0}bad gateway", retryAt: at(30))
                == .pending)
        let stored = try #require(try await store.job(id: job.id))
        #expect(stored.state == .pending && stored.claimedBy == nil)
        // What follows the NUL may be lost (SQLite reads text up to it); what precedes it is kept.
        #expect(stored.lastError?.hasPrefix("HTTP 502: ") == true)
    }

    @Test("rescheduling gives back the attempt the claim took", arguments: StoreBackend.all)
    func reschedule(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.enqueue([newJob(maxAttempts: 1)])
        for round in 0..<5 {
            let now = at(Double(round) * 30)
            let job = try #require(
                try await store.claimJobs(kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(60), now: now).first)
            #expect(job.attempts == 1)
            #expect(try await store.rescheduleJob(id: job.id, worker: "w", runAt: now.addingTimeInterval(30)))
            let stored = try #require(try await store.job(id: job.id))
            #expect(stored.state == .pending && stored.attempts == 0 && stored.runAt == now.addingTimeInterval(30))
        }
        // Rescheduling a job one does not hold changes nothing.
        let job = try #require(
            try await store.claimJobs(kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(60), now: at(150)).first)
        #expect(try await store.rescheduleJob(id: job.id, worker: "other", runAt: at(999)) == false)
        #expect(try await store.completeJob(id: job.id, worker: "w"))
        #expect(try await store.rescheduleJob(id: job.id, worker: "w", runAt: at(999)) == false)
        #expect(try await store.job(id: job.id)?.state == .done)
    }

    @Test(
        "a worker that dies mid-job loses its claim when the lease expires, also to another replica",
        arguments: StoreBackend.all)
    func leaseExpiry(backend: StoreBackend) async throws {
        try await ReplicaStores.with(backend) { replicas in
            // The old worker runs on one replica, the new one on another (the same store for SQLite).
            let old = replicas.replica(0)
            let new = replicas.replica(1)
            try await old.enqueue([newJob(key: "nudge:p1:s1", maxAttempts: 3)])
            let crashed = try #require(
                try await old.claimJobs(kinds: nil, limit: 1, worker: "w-old", leaseFor: .seconds(30), now: t0).first)
            // The old worker "dies": it never completes. Within the lease nobody else may take the job.
            #expect(
                try await new.claimJobs(kinds: nil, limit: 1, worker: "w-new", leaseFor: .seconds(30), now: at(29))
                    .isEmpty)
            let takenOver = try #require(
                try await new.claimJobs(kinds: nil, limit: 1, worker: "w-new", leaseFor: .seconds(30), now: at(30))
                    .first)
            #expect(takenOver.id == crashed.id)
            #expect(takenOver.attempts == 2)  // the crashed attempt counts
            #expect(takenOver.claimedBy == "w-new")
            #expect(takenOver.claimedUntil == at(60))
            // The old worker comes back to life: it must not finish or fail someone else's claim.
            #expect(try await old.completeJob(id: crashed.id, worker: "w-old") == false)
            #expect(try await old.failJob(id: crashed.id, worker: "w-old", error: "late", retryAt: at(60)) == nil)
            #expect(try await old.rescheduleJob(id: crashed.id, worker: "w-old", runAt: at(60)) == false)
            #expect(try await old.job(id: crashed.id)?.claimedBy == "w-new")
            #expect(try await new.completeJob(id: crashed.id, worker: "w-new"))
            #expect(try await new.completeJob(id: crashed.id, worker: "w-new") == false)  // once
            #expect(try await old.job(id: crashed.id)?.state == .done)
        }
    }

    @Test(
        "a late worker finishing while another replica takes its expired claims: each job counts as done once",
        arguments: StoreBackend.all)
    func takeOverRace(backend: StoreBackend) async throws {
        try await ReplicaStores.with(backend) { replicas in
            let total = 60
            try await replicas.replica(0).enqueue((0..<total).map { newJob(key: "race-\($0)") })
            let slow = try await replicas.replica(0).claimJobs(
                kinds: nil, limit: total, worker: "w-slow", leaseFor: .seconds(30), now: t0)
            #expect(slow.count == total)
            // The leases have run out. The slow worker completes its jobs while the other replica claims and
            // completes them: for each job exactly one of the two completions may count.
            let completions = try await withThrowingTaskGroup(of: [Int64].self) { group in
                group.addTask {
                    var done: [Int64] = []
                    for job in slow {
                        if try await replicas.replica(0).completeJob(id: job.id, worker: "w-slow") {
                            done.append(job.id)
                        }
                    }
                    return done
                }
                group.addTask {
                    var done: [Int64] = []
                    while true {
                        let jobs = try await replicas.replica(1).claimJobs(
                            kinds: nil, limit: 4, worker: "w-fast", leaseFor: .seconds(30), now: at(30))
                        if jobs.isEmpty { break }
                        for job in jobs {
                            #expect(job.attempts == 2)
                            #expect(try await replicas.replica(1).completeJob(id: job.id, worker: "w-fast"))
                            done.append(job.id)
                        }
                    }
                    return done
                }
                var all: [Int64] = []
                for try await done in group { all += done }
                return all
            }
            #expect(completions.count == total)
            #expect(Set(completions) == Set(slow.map(\.id)))
            #expect(try await replicas.replica(1).queueDepth(now: at(30)).isEmpty)
        }
    }

    @Test(
        "a job whose worker dies on its last attempt becomes dead, not claimed forever, whichever replica looks",
        arguments: StoreBackend.all)
    func poisonPill(backend: StoreBackend) async throws {
        try await ReplicaStores.with(backend) { replicas in
            try await replicas.replica(0).enqueue([newJob(maxAttempts: 2)])
            var now = t0
            for attempt in 1...2 {
                // Each attempt's worker runs on another replica and crashes; its lease runs out.
                let claimed = try await replicas.replica(attempt).claimJobs(
                    kinds: nil, limit: 1, worker: "w\(attempt)", leaseFor: .seconds(10), now: now)
                #expect(claimed.map(\.attempts) == [attempt])
                now = now.addingTimeInterval(10)
            }
            // Only a claimer of other kinds looks first: the job is not its business.
            #expect(
                try await replicas.replica(0).claimJobs(
                    kinds: ["digest.post"], limit: 1, worker: "w", leaseFor: .seconds(10), now: now
                ).isEmpty)
            #expect(try await replicas.replica(1).deadJobs(limit: 5).isEmpty)
            #expect(
                try await replicas.replica(0).claimJobs(
                    kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(10), now: now
                ).isEmpty)
            let dead = try await replicas.replica(1).deadJobs(limit: 5)
            #expect(dead.count == 1)
            #expect(dead.first?.attempts == 2)
            #expect(dead.first?.claimedBy == nil && dead.first?.claimedUntil == nil)
            #expect(dead.first?.lastError?.contains("lease expired") == true)
            #expect(try await replicas.replica(1).queueDepth(now: now)["nudge.send"] == JobDepth(dead: 1))
        }
    }

    @Test("concurrent claim loops on every replica claim every job exactly once", arguments: StoreBackend.all)
    func exactlyOnce(backend: StoreBackend) async throws {
        try await ReplicaStores.with(backend) { replicas in
            let total = 500
            try await replicas.replica(0).enqueue((0..<total).map { newJob(at: Double($0 % 7), key: "job-\($0)") })
            let now = at(10)
            // Four claim loops per replica, as a worker with a concurrency of four on each.
            let loops = 4 * replicas.stores.count
            let claimsPerWorker = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for loop in 0..<loops {
                    let store = replicas.replica(loop)
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let jobs = try await store.claimJobs(
                                kinds: nil, limit: 3, worker: "w\(loop)", leaseFor: .seconds(300), now: now)
                            if jobs.isEmpty { break }
                            for job in jobs {
                                #expect(job.attempts == 1)
                                #expect(try await store.completeJob(id: job.id, worker: "w\(loop)"))
                            }
                            mine += jobs.map(\.id)
                        }
                        return mine
                    }
                }
                var all: [[Int64]] = []
                for try await claims in group { all.append(claims) }
                return all
            }
            let everything = claimsPerWorker.flatMap { $0 }
            #expect(everything.count == total)
            #expect(Set(everything).count == total)
            #expect(try await replicas.replica(1).queueDepth(now: now).isEmpty)
            #expect(try await replicas.replica(0).purgeCompletedJobs(runBefore: at(60)) == total)
        }
    }

    @Test("enqueueing one dedupe key from many tasks at once makes one job", arguments: StoreBackend.all)
    func concurrentDedupe(backend: StoreBackend) async throws {
        try await ReplicaStores.with(backend) { replicas in
            let inserted = try await withThrowingTaskGroup(of: Int.self) { group in
                for task in 0..<20 {
                    let store = replicas.replica(task)
                    group.addTask {
                        // Each call also carries a key of its own and the shared key twice.
                        try await store.enqueue([
                            newJob(key: "digest:T0001:2026-W47"), newJob(key: "own-\(task)"),
                            newJob(key: "digest:T0001:2026-W47"),
                        ])
                    }
                }
                var sum = 0
                for try await count in group { sum += count }
                return sum
            }
            #expect(inserted == 21)
            let claimed = try await replicas.replica(0).claimJobs(
                kinds: nil, limit: 100, worker: "w", leaseFor: .seconds(60), now: t0)
            #expect(claimed.count == 21)
            #expect(claimed.filter { $0.dedupeKey == "digest:T0001:2026-W47" }.count == 1)
        }
    }

    @Test(
        "a job's identifiers come back with it, survive retries and dead letters, and are gone once it is done",
        arguments: StoreBackend.all)
    func identifiers(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let named = JobIdentifiers(["users": ["U0ALICE01", "U0BOB0002"], "notify": ["U0ADMIN01"]])
        try await store.enqueue([
            NewJob(
                kind: "training.resolve", parameters: Data("{}".utf8), runAt: t0, dedupeKey: "resolve:t1",
                maxAttempts: 2, identifiers: named),
            NewJob(
                kind: "training.resolve", parameters: Data("{}".utf8), runAt: t0, dedupeKey: "resolve:t2",
                identifiers: named),
            newJob(key: "plain"),
        ])
        let claimed = try await store.claimJobs(kinds: nil, limit: 3, worker: "w", leaseFor: .seconds(60), now: t0)
        #expect(claimed.map(\.identifiers) == [named, named, .none])
        let failing = claimed[0]
        let finishing = claimed[1]
        #expect(try await store.failJob(id: failing.id, worker: "w", error: "HTTP 503", retryAt: at(30)) == .pending)
        #expect(try await store.job(id: failing.id)?.identifiers == named)
        let retried = try #require(
            try await store.claimJobs(kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(60), now: at(30)).first)
        #expect(retried.identifiers == named)
        #expect(try await store.failJob(id: retried.id, worker: "w", error: "HTTP 503", retryAt: at(60)) == .dead)
        // A dead letter keeps them: an operator may retry it.
        #expect(try await store.deadJobs(limit: 5).map(\.identifiers) == [named])
        #expect(try await store.completeJob(id: finishing.id, worker: "w"))
        #expect(try await store.job(id: finishing.id)?.identifiers == JobIdentifiers.none)
    }

    @Test(
        "queue depth counts per kind: due, scheduled, running, dead; done jobs are not counted",
        arguments: StoreBackend.all)
    func depth(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.enqueue([
            newJob(at: -10), newJob(at: 0), newJob(at: 5), newJob(at: 60), newJob(at: 86_400),
            newJob("digest.post", at: 0, maxAttempts: 1), newJob("digest.post", at: 0),
        ])
        let running = try await store.claimJobs(
            kinds: ["nudge.send"], limit: 1, worker: "w", leaseFor: .seconds(60), now: t0)
        #expect(running.count == 1)
        let digest = try #require(
            try await store.claimJobs(kinds: ["digest.post"], limit: 2, worker: "w", leaseFor: .seconds(60), now: t0)
                .first)
        try await store.failJob(id: digest.id, worker: "w", error: "channel_not_found", retryAt: nil)
        let depths = try await store.queueDepth(now: t0)
        #expect(depths["nudge.send"] == JobDepth(pendingDue: 1, pendingScheduled: 3, running: 1, dead: 0))
        #expect(depths["digest.post"] == JobDepth(pendingDue: 0, pendingScheduled: 0, running: 1, dead: 1))
        #expect(try await store.queueDepth(now: at(60))["nudge.send"]?.pendingDue == 3)
    }

    @Test(
        "cancelling by dedupe-key prefix removes only pending jobs with that exact prefix",
        arguments: StoreBackend.all)
    func cancelByPrefix(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.enqueue([
            newJob(at: 0, key: "nudge:p_alice:t1:s1"), newJob(at: 3_600, key: "nudge:p_alice:t1:s2"),
            newJob(at: 7_200, key: "nudge:p_alice:t2:s1"), newJob(at: 0, key: "nudge:p_alicia:t1:s1"),
            newJob(at: 0, key: "nudge:P_ALICE:t9:s1"), newJob(at: 0, key: "nudge:p_a%:t1:s1"), newJob(at: 0),
        ])
        // Alice's first nudge is being sent right now: it is left alone.
        let running = try await store.claimJobs(kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(60), now: t0)
        #expect(running.first?.dedupeKey == "nudge:p_alice:t1:s1")
        #expect(try await store.cancelJobs(dedupeKeyPrefix: "nudge:p_alice:") == 2)
        #expect(try await store.cancelJobs(dedupeKeyPrefix: "nudge:p_alice:") == 0)
        #expect(try await store.cancelJobs(dedupeKeyPrefix: "") == 0)
        // `%` and `_` are not wildcards, and case matters.
        #expect(try await store.cancelJobs(dedupeKeyPrefix: "nudge:p_a%") == 1)
        let depth = try #require(try await store.queueDepth(now: at(99_999))["nudge.send"])
        #expect(depth.pendingDue == 3)  // p_alicia, P_ALICE, the job without key
        #expect(depth.running == 1)
        // Cancelled keys are free again: a person who resumes can be planned anew.
        #expect(try await store.enqueue([newJob(key: "nudge:p_alice:t1:s2")]) == 1)
    }

    @Test("parameters round-trip as JSON", arguments: StoreBackend.all)
    func parameters(backend: StoreBackend) async throws {
        struct Nudge: Codable, Equatable {
            var training: String
            var stage: Int
        }
        let store = try await backend.makeStore()
        let job = try NewJob(kind: "nudge.send", parameters: Nudge(training: "t1", stage: 2), runAt: t0)
        try await store.enqueue([job])
        let claimed = try #require(
            try await store.claimJobs(kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(60), now: t0).first)
        #expect(try claimed.decodeParameters(Nudge.self) == Nudge(training: "t1", stage: 2))
        #expect(throws: StoreError.self) { try claimed.decodeParameters([String].self) }
        #expect(try await store.job(id: 987_654) == nil)
    }
}
