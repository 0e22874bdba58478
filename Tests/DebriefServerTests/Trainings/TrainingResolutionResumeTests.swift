import DebriefCore
import DebriefHTTP
import DebriefPlatform
import DebriefPrompts
import DebriefSlack
import DebriefStore
import DebriefStoreSQLite
import DebriefTestSupport
import Foundation
import Logging
import Synchronization
import Testing

@testable import DebriefServer

/// A training's resolution interrupted half-way (SIGTERM cancels it) and run again: it stops where it is
/// told to, and the second run completes it without losing or duplicating anyone.
@Suite("Training resolution, interrupted and resumed")
struct TrainingResolutionResumeTests {
    static let now = ISO8601DateFormatter().date(from: "2026-11-19T16:00:00Z") ?? .distantPast
    static let people = 1_200

    /// A pause that, once the first batch is stored, holds the resolution until its task is cancelled.
    final class HoldAfterFirstBatch: Sendable {
        private struct State {
            var reached: CheckedContinuation<Void, Never>?
            var isHolding = false
        }

        private let state = Mutex(State())
        let store: any DebriefDataStore
        let trainingID: String

        init(store: any DebriefDataStore, trainingID: String) {
            self.store = store
            self.trainingID = trainingID
        }

        /// Returns once the resolution is held.
        func waitUntilHolding() async {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    if state.isHolding { return true }
                    state.reached = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        }

        func pause() async throws {
            try Task.checkCancellation()
            let stored = try await store.trainingSummary(id: trainingID)?.participants ?? 0
            guard stored > 0 else { return await Task.yield() }
            let reached = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.isHolding = true
                defer { state.reached = nil }
                return state.reached
            }
            reached?.resume()
            // Until cancelled: the test's stand-in for a long resolution still under way.
            try await Task.sleep(for: .seconds(3_600))
        }
    }

    struct Setup {
        let store: SQLiteStore
        let slack: FakeSlack
        let http: CurlHTTPClient
        let platform: SlackChatPlatform
        let registrar: TrainingRegistrar
        let scheduler: NudgeScheduler

        func handler(pace: CooperativePace) -> TrainingResolveHandler {
            var handler = TrainingResolveHandler(
                store: store, platforms: ChatPlatforms([platform]),
                pseudonymizer: Pseudonymizer(secret: "test-pseudonym-key-0123456789"),
                scheduler: scheduler, now: { TrainingResolutionResumeTests.now },
                logger: TrainingResolutionResumeTests.logger,
                onScheduled: {})
            handler.pace = pace
            // Small batches, so the first one is stored long before the last.
            handler.batchSizer = BatchSizer(target: .milliseconds(40), initial: 50, minimum: 50, maximum: 50)
            return handler
        }

        /// Registers the training and claims its resolution job, as the worker would.
        func registerAndClaim() async throws -> (Training, Job) {
            let training = try await registrar.accept(
                TrainingRequest(
                    title: "Prompting", endedAt: TrainingResolutionResumeTests.now.addingTimeInterval(-3_600),
                    participants: [.userGroup(id: "S0COHORT")]),
                workspace: FakeSlack.teamID, notifyUserID: "UADMIN01")
            let job = try #require(
                try await store.claimJobs(
                    kinds: [JobKind.trainingResolve.rawValue], limit: 1, worker: "test", leaseFor: .seconds(300),
                    now: TrainingResolutionResumeTests.now
                ).first)
            return (training, job)
        }

        func stop() async {
            await http.shutdown()
            await slack.stop()
        }
    }

    static let logger: Logger = {
        var logger = Logger(label: "resolution-resume-test")
        logger.logLevel = .critical
        return logger
    }()

    static func setUp() async throws -> Setup {
        let store = try SQLiteStore(location: .inMemory)
        try await store.migrate()
        let slack = try await FakeSlack.start()
        slack.setAutoCreateUsers(false)
        let ids = (1...people).map { String(format: "U%05d", $0) }
        slack.setUsers(
            ids.map { FakeSlack.User(id: $0, timeZone: $0.hasSuffix("7") ? "Asia/Kolkata" : "Europe/Berlin") })
        slack.setUsergroup("S0COHORT", users: ids)
        let http = CurlHTTPClient(logger: logger)
        let api = SlackWebAPIClient(http: http, baseURL: slack.baseURL, token: FakeSlack.defaultToken, logger: logger)
        let nudges = try NudgeLibrary.load(from: URL(fileURLWithPath: TestServer.promptsDirectory, isDirectory: true))
        let rules = CalendarRules(defaultTimeZone: TimeZone(identifier: "Europe/Berlin") ?? .gmt)
        return Setup(
            store: store, slack: slack, http: http,
            platform: try SlackChatPlatform(
                api: api, promptsDirectory: URL(fileURLWithPath: TestServer.promptsDirectory, isDirectory: true)),
            registrar: TrainingRegistrar(store: store, nudges: nudges, now: { now }, makeID: { UUID().uuidString }),
            scheduler: NudgeScheduler(store: store, nudges: nudges, rules: rules, logger: logger))
    }

    /// Nudge jobs waiting in the queue.
    static func pendingNudges(_ store: SQLiteStore) async throws -> Int {
        let depth = try await store.queueDepth(now: now)[JobKind.nudgeSend.rawValue] ?? JobDepth()
        return depth.pendingDue + depth.pendingScheduled
    }

    @Test("cancelled mid-way it stops at once with CancellationError; run again it schedules everyone exactly once")
    func cancelThenResume() async throws {
        // What an uninterrupted resolution plans, for comparison.
        let reference = try await Self.setUp()
        let (_, referenceJob) = try await reference.registerAndClaim()
        #expect(try await reference.handler(pace: CooperativePace(every: 32)).run(referenceJob) == .done)
        let expectedNudges = try await Self.pendingNudges(reference.store)
        #expect(expectedNudges >= Self.people)
        await reference.stop()

        let setup = try await Self.setUp()
        let (training, job) = try await setup.registerAndClaim()
        let hold = HoldAfterFirstBatch(store: setup.store, trainingID: training.id)
        let interrupted = setup.handler(pace: CooperativePace(every: 32, pause: { try await hold.pause() }))
        let run = Task { try await interrupted.run(job) }
        await hold.waitUntilHolding()
        let cancelledAt = ContinuousClock.now
        run.cancel()
        let result = await run.result
        #expect(ContinuousClock.now - cancelledAt < .seconds(2), "the resolution stops as soon as it is cancelled")
        #expect(throws: CancellationError.self) { try result.get() }
        let partial = try #require(try await setup.store.trainingSummary(id: training.id))
        #expect(
            partial.participants > 0 && partial.participants < Self.people, "stopped half-way: \(partial.participants)")
        #expect(try await setup.store.resolutionReport(of: training.id) == nil, "not reported as scheduled")
        #expect(setup.slack.calls("chat.postMessage").isEmpty, "the admin hears nothing about a half-done resolution")

        // The retry (after a restart) runs the same job from the start.
        #expect(try await setup.handler(pace: CooperativePace(every: 32)).run(job) == .done)
        let done = try #require(try await setup.store.trainingSummary(id: training.id))
        #expect(done.participants == Self.people)
        #expect(try await setup.store.resolutionReport(of: training.id)?.resolved == Self.people)
        #expect(try await Self.pendingNudges(setup.store) == expectedNudges, "every nudge once: none lost, none twice")
        #expect(done.nudgesPending == expectedNudges)
        let dms = setup.slack.calls("chat.postMessage")
        #expect(dms.count == 1 && dms.first?.string("channel") == "UADMIN01", "one summary for the admin")
        #expect(
            dms.first?.string("text")?.contains("\(Self.people) participants will get \(expectedNudges) nudges") == true
        )
        await setup.stop()
    }
}
