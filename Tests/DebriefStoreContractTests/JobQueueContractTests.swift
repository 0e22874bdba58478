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

    @Test("a worker that dies mid-job loses its claim when the lease expires", arguments: StoreBackend.all)
    func leaseExpiry(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.enqueue([newJob(key: "nudge:p1:s1", maxAttempts: 3)])
        let crashed = try #require(
            try await store.claimJobs(kinds: nil, limit: 1, worker: "w-old", leaseFor: .seconds(30), now: t0).first)
        // The old worker "dies": it never completes. Within the lease nobody else may take the job.
        #expect(
            try await store.claimJobs(kinds: nil, limit: 1, worker: "w-new", leaseFor: .seconds(30), now: at(29))
                .isEmpty)
        let takenOver = try #require(
            try await store.claimJobs(kinds: nil, limit: 1, worker: "w-new", leaseFor: .seconds(30), now: at(30)).first)
        #expect(takenOver.id == crashed.id)
        #expect(takenOver.attempts == 2)  // the crashed attempt counts
        #expect(takenOver.claimedBy == "w-new")
        // The old worker comes back to life: it must not finish or fail someone else's claim.
        #expect(try await store.completeJob(id: crashed.id, worker: "w-old") == false)
        #expect(try await store.failJob(id: crashed.id, worker: "w-old", error: "late", retryAt: at(60)) == nil)
        #expect(try await store.rescheduleJob(id: crashed.id, worker: "w-old", runAt: at(60)) == false)
        #expect(try await store.job(id: crashed.id)?.claimedBy == "w-new")
        #expect(try await store.completeJob(id: crashed.id, worker: "w-new"))
        #expect(try await store.completeJob(id: crashed.id, worker: "w-new") == false)  // once
    }

    @Test(
        "a job whose worker dies on its last attempt becomes dead, not claimed forever",
        arguments: StoreBackend.all)
    func poisonPill(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.enqueue([newJob(maxAttempts: 2)])
        var now = t0
        for _ in 1...2 {
            let claimed = try await store.claimJobs(kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(10), now: now)
            #expect(claimed.count == 1)
            now = now.addingTimeInterval(10)  // the worker crashed; the lease runs out
        }
        #expect(try await store.claimJobs(kinds: nil, limit: 1, worker: "w", leaseFor: .seconds(10), now: now).isEmpty)
        let dead = try await store.deadJobs(limit: 5)
        #expect(dead.count == 1)
        #expect(dead.first?.lastError?.contains("lease expired") == true)
    }

    @Test("concurrent claim loops claim every job exactly once", arguments: StoreBackend.all)
    func exactlyOnce(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let total = 200
        try await store.enqueue((0..<total).map { newJob(at: Double($0 % 7), key: "job-\($0)") })
        let now = at(10)
        let claimsPerWorker = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var mine: [Int64] = []
                    while true {
                        let jobs = try await store.claimJobs(
                            kinds: nil, limit: 3, worker: "w\(worker)", leaseFor: .seconds(300), now: now)
                        if jobs.isEmpty { break }
                        for job in jobs {
                            #expect(try await store.completeJob(id: job.id, worker: "w\(worker)"))
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
        #expect(try await store.queueDepth(now: now).isEmpty)
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
