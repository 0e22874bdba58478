import DebriefCore
import DebriefHTTP
import DebriefPlatform
import DebriefSlack
import DebriefStore
import DebriefTestSupport
import Foundation
import Logging
import Testing

/// Resolving who takes part in a training against the fake Slack, small cohorts and large ones.
@Suite("Participant resolution")
struct ParticipantResolverTests {
    static func withResolver(
        limit: Int = 100_000,
        _ body: (SlackParticipantResolver, FakeSlack) async throws -> Void
    ) async throws {
        let slack = try await FakeSlack.start()
        var logger = Logger(label: "resolver-test")
        logger.logLevel = .critical
        let http = CurlHTTPClient(logger: logger)
        let api = SlackWebAPIClient(http: http, baseURL: slack.baseURL, token: FakeSlack.defaultToken, logger: logger)
        do {
            try await body(SlackParticipantResolver(api: api, limit: limit), slack)
        } catch {
            await http.shutdown()
            await slack.stop()
            throw error
        }
        await http.shutdown()
        await slack.stop()
    }

    /// 250 people in a user group: 1 deactivated, 1 bot, the rest in Kolkata; one not in the directory.
    static func largeWorkspace(_ slack: FakeSlack) -> [String] {
        let ids = (1...250).map { String(format: "U%04d", $0) }
        slack.setAutoCreateUsers(false)
        slack.setUsers(
            ids.dropLast().map { id in
                FakeSlack.User(
                    id: id, timeZone: "Asia/Kolkata", timeZoneOffsetSeconds: 19_800, isBot: id == "U0002",
                    deleted: id == "U0001")
            })
        slack.setUsergroup("S0ALL", users: ids)
        slack.setMaximumMembersPageSize(100)
        return ids
    }

    @Test("a large cohort reads the directory in a few pages instead of users.info per person")
    func largeCohortUsesTheDirectory() async throws {
        try await Self.withResolver { resolver, slack in
            let ids = Self.largeWorkspace(slack)
            let resolution = try await resolver.resolve([.userGroup(id: "S0ALL")])
            #expect(resolution.deactivatedUserIDs == ["U0001"])
            #expect(!resolution.people.contains { $0.userID == "U0002" }, "bots are not participants")
            #expect(resolution.people.count == ids.count - 3)
            #expect(resolution.people.allSatisfy { $0.timeZone == "Asia/Kolkata" })
            // U0250 is not in the directory: asked for by users.info, which does not know them either, so the
            // admin is told instead of every nudge to them failing later.
            #expect(resolution.unknownUserIDs == ["U0250"])
            #expect(resolution.unresolvedCount == 2)
            #expect(slack.calls("users.list").count == 3, "249 people, 100 a page")
            #expect(slack.calls("users.info").count == 1)
        }
    }

    @Test("a small cohort asks users.info per person and never pages through the whole workspace")
    func smallCohortUsesUsersInfo() async throws {
        try await Self.withResolver { resolver, slack in
            _ = Self.largeWorkspace(slack)
            let resolution = try await resolver.resolve([.user(id: "U0010"), .user(id: "U0011"), .user(id: "U0001")])
            #expect(resolution.people.map(\.userID) == ["U0010", "U0011"])
            #expect(resolution.deactivatedUserIDs == ["U0001"])
            #expect(slack.calls("users.list").isEmpty)
            #expect(slack.calls("users.info").count == 3)
        }
    }

    @Test("a user group larger than the maximum stops the resolution and says which source; nobody is kept")
    func userGroupOverTheLimit() async throws {
        try await Self.withResolver(limit: 200) { resolver, slack in
            _ = Self.largeWorkspace(slack)
            let resolution = try await resolver.resolve([.user(id: "U0010"), .userGroup(id: "S0ALL")])
            #expect(resolution.overLimit == ParticipantLimitExceeded(source: "user group S0ALL", limit: 200))
            #expect(resolution.people.isEmpty, "not cut to the first 200")
            #expect(slack.calls("users.list").isEmpty && slack.calls("users.info").isEmpty, "nobody is looked up")
        }
    }

    @Test("a channel far larger than the maximum is read only until the maximum is passed")
    func channelOverTheLimitStopsPaging() async throws {
        try await Self.withResolver(limit: 250) { resolver, slack in
            slack.setMembers(channel: "C0ALLHANDS", (1...5_000).map { String(format: "U%05d", $0) })
            slack.setMaximumMembersPageSize(100)
            let resolution = try await resolver.resolve([.channel(id: "C0ALLHANDS")])
            #expect(resolution.overLimit?.source == "channel C0ALLHANDS")
            #expect(slack.calls("conversations.members").count == 3, "251 members are in the third page of 100")
        }
    }

    @Test("a large cohort whose directory cannot be read is tried again later, not looked up one by one")
    func unreadableDirectoryRetries() async throws {
        try await Self.withResolver { resolver, slack in
            _ = Self.largeWorkspace(slack)
            slack.failNext(method: "users.list", with: .platformError("internal_error"))
            await #expect(throws: ParticipantDirectoryUnavailable.self) {
                try await resolver.resolve([.userGroup(id: "S0ALL")])
            }
            #expect(slack.calls("users.info").isEmpty, "no storm of 250 users.info calls")
        }
    }

    @Test("thousands of people missing from a directory that was read are reported, not asked for one by one")
    func manyMissingFromTheDirectory() async throws {
        try await Self.withResolver { resolver, slack in
            _ = Self.largeWorkspace(slack)
            let strangers = (1...300).map { String(format: "W%04d", $0) }
            slack.setUsergroup("S0STRANGERS", users: strangers)
            let resolution = try await resolver.resolve([.userGroup(id: "S0STRANGERS")])
            #expect(resolution.unknownUserIDs == strangers)
            #expect(resolution.people.isEmpty)
            #expect(slack.calls("users.info").isEmpty)
        }
    }

    @Test("the admin's summary names the first 50 of a long list and counts the rest")
    func summaryOfLongLists() {
        let training = Training(
            id: "t1", workspace: "T0001", title: "All hands", topic: nil, endedAt: Date(), sequenceID: "default",
            createdAt: Date())
        let report = TrainingResolutionReport(
            resolved: 10, unknownUserIDs: (1...3_000).map { String(format: "W%05d", $0) })
        let summary = TrainingResolutionMessage.text(
            TrainingResolutionNotice(training: training, report: report, nudges: 40))
        #expect(summary.contains("W00050 and 2950 more."))
        #expect(!summary.contains("W00051"))
        #expect(summary.count < 2_000, "well within Slack's 40,000-character limit")
    }

    @Test("a training over the maximum: the admin is told it was not scheduled, and why")
    func summaryOverTheLimit() {
        let training = Training(
            id: "t1", workspace: "T0001", title: "Everyone", topic: nil, endedAt: Date(), sequenceID: "default",
            createdAt: Date())
        let report = TrainingResolutionReport(
            overLimit: ParticipantLimitExceeded(source: "channel C0GENERAL", limit: 100_000))
        let summary = TrainingResolutionMessage.text(
            TrainingResolutionNotice(training: training, report: report, nudges: 0))
        #expect(summary.contains("*Everyone* was not scheduled"))
        #expect(summary.contains("channel C0GENERAL") && summary.contains("more than 100000 participants"))
        #expect(summary.contains("DEBRIEF_MAX_PARTICIPANTS"))
    }

    @Test("the admin is told who could not be reached, each kind in its own words")
    func summaryNamesTheUnreachable() {
        let training = Training(
            id: "t1", workspace: "T0001", title: "Prompting <basics>", topic: nil, endedAt: Date(),
            sequenceID: "default",
            createdAt: Date())
        let report = TrainingResolutionReport(
            resolved: 40, unknownEmails: ["ana@example.com"], deactivatedUserIDs: ["U0001"], unknownUserIDs: ["U0TYPO"])
        let summary = TrainingResolutionMessage.text(
            TrainingResolutionNotice(training: training, report: report, nudges: 280))
        #expect(summary.contains("*Prompting &lt;basics&gt;*: 40 participants will get 280 nudges"))
        #expect(summary.contains("No Slack account for: ana@example.com."))
        #expect(summary.contains("Deactivated, so skipped: <@U0001>."))
        #expect(summary.contains("Not in this workspace, so skipped: U0TYPO."))
    }
}
