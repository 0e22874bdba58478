import DebriefCore
import DebriefHTTP
import DebriefPlatform
import DebriefPrompts
import DebriefStore
import DebriefStoreSQLite
import Foundation
import Logging
import Synchronization
import Testing

@testable import DebriefServer

/// A chat platform that is not Slack, kept in memory: what a Teams adapter will be to the server.
final class RecordingPlatform: ChatPlatform {
    let platform = Platform.teams
    let people: [ResolvedParticipant]
    private let sent = Mutex<[(nudge: NudgeDelivery, to: DeliveryAddress)]>([])
    private let reports = Mutex<[TrainingResolutionNotice]>([])

    init(people: [ResolvedParticipant]) { self.people = people }

    var nudges: [(nudge: NudgeDelivery, to: DeliveryAddress)] { sent.withLock { $0 } }
    var resolutionReports: [TrainingResolutionNotice] { reports.withLock { $0 } }

    func workspaceID() async throws(ChatPlatformError) -> String { "tenant-1" }
    func sendNudge(_ nudge: NudgeDelivery, to person: DeliveryAddress) async throws(ChatPlatformError) -> PostedMessage
    {
        sent.withLock { $0.append((nudge, person)) }
        return PostedMessage(channel: "conversation-\(person.userID)", id: "activity-\(nudge.nudgeID)")
    }
    func markNudgeAnswered(
        _ message: PostedMessage, answer: NudgeAnswer, trainingTitle: String, texts: NudgeMessageTexts
    )
        async throws(ChatPlatformError)
    {}
    func sendHabitMessage(_ message: HabitDelivery, to person: DeliveryAddress) async throws(ChatPlatformError)
        -> PostedMessage
    {
        PostedMessage(channel: "conversation-\(person.userID)", id: "activity-\(message.promptID)")
    }
    func digestTexts(_ digest: DigestDelivery) -> DigestTexts { DigestTexts(main: "digest", details: "") }
    func postDigest(_ digest: DigestDelivery, to channel: String) async throws(ChatPlatformError) -> PostedMessage {
        PostedMessage(channel: channel, id: "post-1")
    }
    func postDigestDetails(_ digest: DigestDelivery, under message: PostedMessage) async throws(ChatPlatformError) {}
    func findDigestPost(digestID: String, in channel: String) async -> EarlierDigestPost { .notFound }
    func readDirectory(page: ([DirectoryEntry]) -> Void) async throws(ChatPlatformError) {}
    func groupMembers(_ groupID: String) async throws(ChatPlatformError) -> [String] { people.map(\.userID) }
    func userIDs(forEmails emails: Set<String>) async throws(ChatPlatformError) -> [String: String] { [:] }
    func resolveParticipants(_ sources: [ParticipantSource], limit: Int) async throws -> ParticipantResolution {
        var resolution = ParticipantResolution()
        resolution.people = people
        return resolution
    }
    func reportResolution(_ notice: TrainingResolutionNotice, to admin: String) async throws(ChatPlatformError) {
        reports.withLock { $0.append(notice) }
    }
}

/// The chat-platform port carries a training from registration to the first nudge on a platform that is not
/// Slack, with the server's own training and nudge code unchanged: what "Teams is one more adapter" rests on.
@Suite("A second chat platform")
struct SecondPlatformTests {
    static let now = ISO8601DateFormatter().date(from: "2026-11-19T16:00:00Z") ?? .distantPast

    @Test("a training registered on another platform is resolved, planned and nudged there, with its own addresses")
    func trainingOnAnotherPlatform() async throws {
        var logger = Logger(label: "second-platform-test")
        logger.logLevel = .critical
        let store = try SQLiteStore(location: .inMemory)
        try await store.migrate()
        let prompts = URL(fileURLWithPath: TestServer.promptsDirectory, isDirectory: true)
        let nudges = try NudgeLibrary.load(from: prompts)
        let clock = ManualClock(Self.now)
        let platform = RecordingPlatform(people: [
            ResolvedParticipant(userID: "aad-1", timeZone: "Europe/Berlin"),
            ResolvedParticipant(userID: "aad-2", timeZone: nil),
        ])
        let platforms = ChatPlatforms([platform])
        let scheduler = NudgeScheduler(
            store: store, nudges: nudges,
            rules: CalendarRules(defaultTimeZone: TimeZone(identifier: "Europe/Berlin") ?? .gmt),
            logger: logger)
        let registrar = TrainingRegistrar(
            store: store, nudges: nudges, now: { clock.now() }, makeID: { UUID().uuidString })
        let training = try await registrar.accept(
            TrainingRequest(
                title: "Prompting", endedAt: Self.now.addingTimeInterval(-3_600),
                participants: [.userGroup(id: "team-1")]),
            platform: .teams, workspace: "", notifyUserID: "aad-admin")

        let resolve = try #require(
            try await store.claimJobs(
                kinds: [JobKind.trainingResolve.rawValue], limit: 1, worker: "w", leaseFor: .seconds(60), now: Self.now
            ).first)
        let resolver = TrainingResolveHandler(
            store: store, platforms: platforms, pseudonymizer: Pseudonymizer(secret: "test-pseudonym-key-0123456789"),
            scheduler: scheduler, now: { clock.now() }, logger: logger, onScheduled: {})
        #expect(try await resolver.run(resolve) == .done)
        #expect(platform.resolutionReports.map(\.report.resolved) == [2], "the admin is told on the same platform")

        // Both people are stored with the platform's own addresses, and their nudges are queued for it.
        let pseudonymizer = Pseudonymizer(secret: "test-pseudonym-key-0123456789")
        let first = pseudonymizer.pseudonym(for: PlatformUser(platform: .teams, workspace: "tenant-1", userID: "aad-1"))
        #expect(try await store.isParticipant(first, of: training.id))
        #expect(try await store.deliveryAddress(of: first, platform: .teams)?.userID == "aad-1")
        #expect(try await store.deliveryAddress(of: first, platform: .slack) == nil)

        // When the first nudge is due, it goes out through the same platform.
        let due = try #require(try await store.nextDueDate(kinds: [JobKind.nudgeSend.rawValue]))
        #expect(due > Self.now)
        clock.advance(to: due)
        let send = try #require(
            try await store.claimJobs(
                kinds: [JobKind.nudgeSend.rawValue], limit: 1, worker: "w", leaseFor: .seconds(60), now: clock.now()
            ).first)
        #expect(send.bucket?.hasPrefix("teams:tenant-1") == true, "rate limited per workspace of that platform")
        let sender = NudgeSendHandler(
            scheduler: scheduler, store: store, platforms: platforms,
            limiter: BucketRateLimiter(defaultRate: .init(perSecond: 1_000, burst: 10)), now: { clock.now() },
            makeID: { "nudge-1" }, logger: logger)
        #expect(try await sender.run(send) == .done)
        let delivered = try #require(platform.nudges.first)
        #expect(delivered.to.platform == .teams && ["aad-1", "aad-2"].contains(delivered.to.userID))
        #expect(delivered.nudge.trainingTitle == "Prompting" && !delivered.nudge.text.isEmpty)
        #expect(try await store.nudgeSend(id: "nudge-1")?.channel == "conversation-\(delivered.to.userID)")
    }
}
