import DebriefCore
import DebriefHTTP
import DebriefPlatform
import DebriefPrompts
import DebriefSlack
import DebriefStore
import DebriefStoreSQLite
import DebriefTestSupport
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import DebriefServer

/// What the database files hold after real traffic, and what an erasure leaves of a person.
@Suite("Privacy at rest end to end")
struct PrivacyAtRestEndToEndTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }

    static func pseudonym(_ user: String) -> Pseudonym {
        Pseudonymizer(secret: TestServer.pseudonymKey).pseudonym(
            for: PlatformUser(platform: .slack, workspace: "T0001", userID: user))
    }

    @Test("a training's named participants are sealed while queued and gone once resolved; the files name nobody")
    func trainingLeavesNoIdsInTheFiles() async throws {
        let server = try await TestServer.start(clockStart: Self.date("2026-11-19T15:30:00Z"))
        server.slack.setUser(FakeSlack.User(id: "U0NAMED01", email: "ada.named@example.com", timeZone: "Europe/Berlin"))
        server.slack.setUser(FakeSlack.User(id: "U0NAMED02", timeZone: "Europe/Berlin"))
        server.slack.setUser(FakeSlack.User(id: "U0GROUP01", timeZone: "Europe/Berlin"))
        server.slack.setUser(FakeSlack.User(id: "U0GONE001", deleted: true))
        server.slack.setUsergroup("S0PRIVACY", users: ["U0GROUP01", "U0GONE001"])
        let accepted = try await server.postJSON(
            "/api/v1/trainings",
            [
                "title": "Prompting for briefs", "ended_at": "2026-11-19T15:00:00Z",
                "participants": [
                    "usergroups": ["S0PRIVACY"], "users": ["U0NAMED02"],
                    "emails": ["ada.named@example.com", "nobody.named@example.com"],
                ],
            ])
        #expect(accepted.status == .accepted)
        let id = try #require(accepted.json?["id"]?.stringValue)
        try await server.settle()
        // Friday morning in Berlin: the first nudges go out, into DM channels (minute by minute, as the worker
        // would send them on time).
        server.clock.advance(to: Self.date("2026-11-20T08:00:00Z"))
        while server.clock.now() < Self.date("2026-11-20T10:00:00Z") {
            server.clock.advance(by: 60)
            try await server.settle()
        }
        let channels = Set(server.slack.postedMessages().map(\.channel))
        #expect(channels.count == 3, "\(channels)")

        let detail = try #require(try await server.get("/api/v1/trainings/\(id)", token: TestServer.adminToken).json)
        #expect(detail["participants"]?.numberValue == 3)
        #expect(detail["unreachable"]?["unknown_emails"] == ["nobody.named@example.com"], "the admin still sees it")
        let secrets =
            ["U0NAMED01", "U0NAMED02", "U0GROUP01", "U0GONE001", "ada.named@example.com", "nobody.named@example.com"]
            + channels.sorted()
        #expect(DatabaseFiles.found(secrets, in: server.databasePath) == [])
        try await server.stop()
    }

    @Test("/reflect forget before a queued resolution runs: the resolution does not bring the person back")
    func forgetBeforeResolution() async throws {
        let slack = try await FakeSlack.start()
        slack.setUser(FakeSlack.User(id: "U0ERASED1"))
        slack.setUser(FakeSlack.User(id: "U0KEPT001"))
        var logger = Logger(label: "resolution-privacy-test")
        logger.logLevel = .critical
        let http = CurlHTTPClient(logger: logger)
        let api = SlackWebAPIClient(http: http, baseURL: slack.baseURL, token: FakeSlack.defaultToken, logger: logger)
        let now = Self.date("2026-11-19T15:30:00Z")
        let store = try SQLiteStore(location: .inMemory, pseudonymKey: .configured(TestServer.pseudonymKey))
        try await store.migrate()
        let nudges = try NudgeLibrary.load(from: URL(fileURLWithPath: TestServer.promptsDirectory, isDirectory: true))
        let registrar = TrainingRegistrar(store: store, nudges: nudges, now: { now }, makeID: { "t1" })
        _ = try await registrar.accept(
            TrainingRequest(
                title: "Prompting", endedAt: Self.date("2026-11-19T15:00:00Z"),
                participants: [.user(id: "U0ERASED1"), .user(id: "U0KEPT001")]),
            workspace: FakeSlack.teamID, notifyUserID: "U0ERASED1")

        let reflections = ReflectionService(
            store: store, pseudonymizer: Pseudonymizer(secret: TestServer.pseudonymKey), now: { now })
        try await reflections.forget(PlatformUser(platform: .slack, workspace: FakeSlack.teamID, userID: "U0ERASED1"))

        let job = try #require(
            try await store.claimJobs(
                kinds: [JobKind.trainingResolve.rawValue], limit: 1, worker: "w", leaseFor: .seconds(60), now: now
            ).first)
        #expect(job.identifiers == JobIdentifiers(["users": ["U0KEPT001"]]))
        #expect(String(decoding: job.parameters, as: UTF8.self).contains("U0") == false)
        let handler = TrainingResolveHandler(
            store: store,
            platforms: ChatPlatforms([
                try SlackChatPlatform(
                    api: api, promptsDirectory: URL(fileURLWithPath: TestServer.promptsDirectory, isDirectory: true))
            ]),
            pseudonymizer: Pseudonymizer(secret: TestServer.pseudonymKey),
            scheduler: NudgeScheduler(
                store: store, nudges: nudges,
                rules: CalendarRules(defaultTimeZone: .gmt, holidays: [], maximumPerWeek: 2), logger: logger),
            now: { now }, logger: logger, onScheduled: {})
        #expect(try await handler.run(job) == .done)
        #expect(try await store.completeJob(id: job.id, worker: "w"))

        #expect(try await store.isParticipant(Self.pseudonym("U0KEPT001"), of: "t1"))
        #expect(try await store.isParticipant(Self.pseudonym("U0ERASED1"), of: "t1") == false)
        #expect(try await store.exportPerson(Self.pseudonym("U0ERASED1")) == nil)
        #expect(slack.calls("chat.postMessage").isEmpty, "nobody left to tell: the admin erased themselves")
        #expect(try await store.job(id: job.id)?.identifiers == JobIdentifiers.none, "a finished job keeps no ids")
        await http.shutdown()
        await slack.stop()
    }

    @Test("serve warns once at start when the pseudonym key is kept in the database, and not when it is configured")
    func warnsOnceWithoutKey() async throws {
        let logs = LogCapture()
        let server = try await TestServer.start(logs: logs) { $0.privacy.pseudonymKey = nil }
        try await server.stop()
        let warnings = logs.all.filter { $0.contains("DEBRIEF_PSEUDONYM_KEY") }
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.hasPrefix("warning") == true)
        #expect(warnings.first?.contains("copy of the database") == true)

        let configured = LogCapture()
        let other = try await TestServer.start(logs: configured)
        try await other.stop()
        #expect(!configured.all.contains { $0.contains("DEBRIEF_PSEUDONYM_KEY") })
    }
}

/// The raw bytes of an SQLite database and its companion files, as a copy of the volume would hold them.
enum DatabaseFiles {
    /// Which of `needles` occur in the database file, its `-wal` or its `-shm`.
    static func found(_ needles: [String], in path: String) -> [String] {
        let files = [path, path + "-wal", path + "-shm"].compactMap { FileManager.default.contents(atPath: $0) }
        return needles.filter { needle in files.contains { $0.range(of: Data(needle.utf8)) != nil } }
    }
}
