import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import HTTPTypes
import Testing

/// Weekly digests posted by the real scheduler and job to a fake Slack, and the signed digest page.
@Suite("Weekly digests end to end")
struct DigestEndToEndTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }

    /// Wednesday of ISO week 2026-W47.
    static let midWeek = date("2026-11-18T10:00:00Z")
    /// Monday 23 November 2026, 08:50 in Berlin: ten minutes before digests are due.
    static let beforeDigest = date("2026-11-23T07:50:00Z")

    static func configure(_ configuration: inout DebriefConfiguration) {
        configuration.digests.leadershipChannel = "CLEAD"
        configuration.digests.teamChannels = [(team: "Sales", channel: "CSALES"), (team: "Tiny", channel: "CTINY")]
    }

    /// 12 people in Sales (2 leaders), 8 in Support, 4 in Tiny; everyone reflects once in W47.
    /// (With only Sales and Tiny, showing Sales would reveal Tiny as the organisation minus Sales, so
    /// complementary suppression would rightly hide Sales too.)
    static func seed(_ store: any DebriefDataStore) async throws {
        var people: [(String, String, String)] = []
        for index in 0..<12 { people.append(("US\(index)", index < 2 ? "leader" : "ic", "Sales")) }
        for index in 0..<8 { people.append(("UP\(index)", "ic", "Support")) }
        for index in 0..<4 { people.append(("UT\(index)", "ic", "Tiny")) }
        for (user, role, team) in people {
            let pseudonym = Pseudonymizer(secret: "test-pseudonym-key-0123456789").pseudonym(
                for: PlatformUser(platform: .slack, workspace: "T0001", userID: user))
            let address = DeliveryAddress(platform: .slack, workspace: "T0001", userID: user)
            let leader = role == "leader"
            try await store.recordReflection(
                Reflection(
                    id: "r-\(user)", person: pseudonym, createdAt: midWeek, source: .modal,
                    text: leader
                        ? "Drafted the strategy memo with AI, then rewrote the intro" : "Summarised customer calls",
                    taskCategory: .drafting,
                    outcome: leader ? .savedTime : (user.hasSuffix("3") ? .noDifference : .betterQuality),
                    minutesSaved: leader ? .upTo60 : .upTo15, confidence: leader ? 4 : 3,
                    consent: leader ? .attributed : .anonymousQuote),
                from: address)
            try await store.assignRoles(
                [RoleAssignment(address: address, pseudonym: pseudonym, roleLevel: role, team: team)], at: midWeek)
        }
    }

    /// Everyone in `seed`, as `users.list` lists them (the fake invents users only for `users.info`).
    static func registerDirectory(_ slack: FakeSlack) {
        for user in (0..<12).map({ "US\($0)" }) + (0..<8).map({ "UP\($0)" }) + (0..<4).map({ "UT\($0)" }) {
            slack.setUser(FakeSlack.User(id: user))
        }
    }

    static let crashedPost: JSONValue = [
        "channel": "CLEAD", "text": "digest",
        "metadata": ["event_type": "debrief_digest", "event_payload": ["digest_id": "dg-crash"]],
    ]

    func mainPosts(_ slack: FakeSlack, channel: String) -> [RecordedCall] {
        slack.calls("chat.postMessage").filter { $0.string("channel") == channel && $0.string("thread_ts") == nil }
    }

    func waitForPosts(_ server: TestServer, channels: [String]) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if channels.allSatisfy({ !mainPosts(server.slack, channel: $0).isEmpty }) {
                try await server.settle()
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("digests were not posted to \(channels)")
    }

    @Test("Monday 09:00 posts one digest per target with details in a thread; small teams get no numbers")
    func postsOncePerTarget() async throws {
        let server = try await TestServer.start(clockStart: Self.beforeDigest, configure: Self.configure)
        try await Self.seed(server.store)
        try await server.runDueWork()
        #expect(server.slack.calls("chat.postMessage").isEmpty, "nothing before 09:00")
        server.clock.advance(by: 15 * 60)
        try await waitForPosts(server, channels: ["CLEAD", "CSALES", "CTINY"])
        // Later passes and another hour change nothing: exactly once per target and week.
        server.clock.advance(by: 3_600)
        try await server.runDueWork()
        try await server.runDueWork()
        for channel in ["CLEAD", "CSALES", "CTINY"] {
            #expect(mainPosts(server.slack, channel: channel).count == 1, "\(channel)")
        }
        let sales = try #require(mainPosts(server.slack, channel: "CSALES").first)
        let salesText = sales.string("text") ?? ""
        #expect(salesText.contains("10–19"), "12 respondents shown as a bucket: \(salesText)")
        #expect(!salesText.contains("12 "), "never the exact small number")
        let thread = server.slack.calls("chat.postMessage").filter {
            $0.string("channel") == "CSALES" && $0.string("thread_ts") != nil
        }
        #expect(thread.count == 1, "details go in one thread reply")
        let tiny = try #require(mainPosts(server.slack, channel: "CTINY").first)
        let tinyText = tiny.string("text") ?? ""
        #expect(
            tinyText.contains("quiet") && !tinyText.contains("%") && !tinyText.contains("1–4"),
            "a team of 4 sees no number: \(tinyText)")
        let allText = server.slack.calls("chat.postMessage").compactMap {
            $0.body.isEmpty ? nil : String(decoding: $0.body, as: UTF8.self)
        }
        .joined()
        #expect(!allText.contains("US0") && !allText.contains("UT0"), "no user ids in digests")
        try await server.stop()
    }

    @Test("the first job of the week reads the directory once for every target; names on any page are scrubbed")
    func oneDirectoryReadForAllTargets() async throws {
        let server = try await TestServer.start(clockStart: Self.beforeDigest, configure: Self.configure)
        try await Self.seed(server.store)
        Self.registerDirectory(server.slack)
        // The colleague's name is on the last page of users.list (sorted by id, five per page).
        server.slack.setUser(FakeSlack.User(id: "UZ9", name: "Zoe Quill"))
        server.slack.setMaximumMembersPageSize(5)
        let author = Pseudonymizer(secret: "test-pseudonym-key-0123456789").pseudonym(
            for: PlatformUser(platform: .slack, workspace: "T0001", userID: "US4"))
        try await server.store.recordReflection(
            Reflection(
                id: "r-naming", person: author, createdAt: Self.midWeek, source: .modal,
                text: "Paired with Zoe Quill to turn call notes into a churn summary", taskCategory: .analysis,
                outcome: .savedTime, minutesSaved: .upTo15, confidence: 4, consent: .anonymousQuote),
            from: DeliveryAddress(platform: .slack, workspace: "T0001", userID: "US4"))
        server.clock.advance(by: 15 * 60)
        try await waitForPosts(server, channels: ["CLEAD", "CSALES", "CTINY"])
        let firstPages = server.slack.calls("users.list").filter { $0.string("cursor") == nil }
        #expect(firstPages.count == 1, "one directory read computed all three digests")
        #expect(server.slack.calls("users.list").count > 1, "the directory spans several pages")
        for target in ["leadership", "team:Sales", "team:Tiny"] {
            #expect(try await server.store.digest(target: target, week: "2026-W47") != nil, "\(target)")
        }
        let allText = server.slack.calls("chat.postMessage").compactMap { $0.string("text") }.joined(separator: "\n")
        #expect(allText.contains("Paired with [name] to turn call notes"), "the quote is shown, scrubbed: \(allText)")
        #expect(!allText.contains("Zoe") && !allText.contains("Quill"))
        try await server.stop()
    }

    @Test("when the directory cannot be read, no digest is posted until it can: quotes are never left unscrubbed")
    func directoryFailureDelaysInsteadOfLeaking() async throws {
        let server = try await TestServer.start(clockStart: Self.beforeDigest) { configuration in
            configuration.digests.teamChannels = [(team: "Sales", channel: "CSALES")]
        }
        try await Self.seed(server.store)
        Self.registerDirectory(server.slack)
        server.slack.failNext(method: "users.list", with: .platformError("fatal_error"))
        server.clock.advance(by: 15 * 60)
        _ = try await server.slack.waitForCall(method: "users.list")
        try await server.settle()
        #expect(mainPosts(server.slack, channel: "CSALES").isEmpty, "nothing posted without the directory")
        #expect(try await server.store.digest(target: "team:Sales", week: "2026-W47") == nil, "nothing stored either")
        server.clock.advance(by: 3_600)
        try await waitForPosts(server, channels: ["CSALES"])
        #expect(mainPosts(server.slack, channel: "CSALES").count == 1)
        let thread = server.slack.calls("chat.postMessage").first {
            $0.string("channel") == "CSALES" && $0.string("thread_ts") != nil
        }
        #expect(
            thread?.string("text")?.contains("Summarised customer calls") == true,
            "quotes are back once names can be scrubbed")
        try await server.stop()
    }

    @Test("a team with its own posting time gets its digest then, not with the others")
    func ownPostingTime() async throws {
        let server = try await TestServer.start(clockStart: Self.beforeDigest) { configuration in
            Self.configure(&configuration)
            // Tuesday 10:00 in New York is 15:00 UTC; everyone else posts Monday 09:00 Berlin.
            configuration.digests.schedules["team:Sales"] = DigestSchedule(
                weekday: 2, hour: 10, minute: 0, timeZone: TimeZone(identifier: "America/New_York"))
        }
        try await Self.seed(server.store)
        Self.registerDirectory(server.slack)
        server.clock.advance(by: 15 * 60)
        try await waitForPosts(server, channels: ["CLEAD", "CTINY"])
        #expect(mainPosts(server.slack, channel: "CSALES").isEmpty, "Sales waits for its own time")
        server.clock.advance(to: Self.date("2026-11-24T14:59:00Z"))
        try await server.runDueWork()
        #expect(mainPosts(server.slack, channel: "CSALES").isEmpty, "not a minute early")
        server.clock.advance(to: Self.date("2026-11-24T15:00:30Z"))
        try await waitForPosts(server, channels: ["CSALES"])
        let sales = try #require(mainPosts(server.slack, channel: "CSALES").first)
        #expect(
            sales.string("text")?.contains("week 47") == true,
            "the same week as the others: \(sales.string("text") ?? "")")
        try await server.stop()
    }

    @Test("two replicas on one database post each digest once")
    func twoReplicas() async throws {
        let path = TestServer.temporaryDatabasePath()
        let first = try await TestServer.start(
            databasePath: path, clockStart: Self.beforeDigest, configure: Self.configure)
        let second = try await TestServer.start(
            databasePath: path, clockStart: Self.beforeDigest, configure: Self.configure)
        try await Self.seed(first.store)
        first.clock.advance(by: 15 * 60)
        second.clock.advance(by: 15 * 60)
        let deadline = ContinuousClock.now + .seconds(10)
        func total(_ channel: String) -> Int {
            mainPosts(first.slack, channel: channel).count + mainPosts(second.slack, channel: channel).count
        }
        while ContinuousClock.now < deadline, ["CLEAD", "CSALES", "CTINY"].contains(where: { total($0) == 0 }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        // Both replicas' schedulers have had their pass at 09:15 and every job they enqueued has run.
        try await first.runDueWork()
        try await second.runDueWork()
        for channel in ["CLEAD", "CSALES", "CTINY"] { #expect(total(channel) == 1, "\(channel)") }
        try await first.stop()
        try await second.stop()
    }

    @Test("after a crash between posting and recording, the retry records the existing post instead of posting again")
    func crashBetweenPostingAndRecording() async throws {
        let server = try await TestServer.start(
            clockStart: Self.beforeDigest,
            configure: { configuration in
                configuration.digests.leadershipChannel = "CLEAD"
            })
        try await Self.seed(server.store)
        // The state a crash leaves: the digest exists, posting started, the message is in the channel, no ts.
        let digest = try await server.store.createDigest(
            StoredDigest(
                id: "dg-crash", target: "leadership", week: "2026-W47", document: Data(), createdAt: Self.beforeDigest))
        #expect(
            try await server.store.markDigestPosting(
                id: digest.id, startedAt: Self.beforeDigest, staleBefore: .distantPast))
        let before = try await server.client.execute(
            HTTPRequestSpec(
                method: .post, url: server.slack.baseURL + "chat.postMessage",
                headerFields: [.authorization: "Bearer \(TestServer.botToken)", .contentType: "application/json"],
                body: Self.crashedPost.encoded()))
        let postedTS = try #require(try JSONValue.decode(before.body)["ts"]?.stringValue)
        // The first retry cannot read the channel: it must wait, not post a second time.
        server.slack.failNext(method: "conversations.history", with: .platformError("internal_error"))
        server.clock.advance(by: 15 * 60)
        _ = try await server.slack.waitForCall(method: "conversations.history")
        try await server.settle()
        #expect(mainPosts(server.slack, channel: "CLEAD").count == 1, "no second post while the history is unreadable")
        #expect(try await server.store.digest(id: "dg-crash")?.postedAt == nil)
        server.clock.advance(by: 3_600)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, try await server.store.digest(id: "dg-crash")?.postedAt == nil {
            try await Task.sleep(for: .milliseconds(10))
        }
        let stored = try #require(try await server.store.digest(id: "dg-crash"))
        #expect(stored.messageTS == postedTS, "the message from before the crash is recorded")
        #expect(mainPosts(server.slack, channel: "CLEAD").count == 1, "only the message from before the crash")
        let lookups = server.slack.calls("conversations.history")
        #expect(lookups.allSatisfy { $0.string("include_all_metadata") == "true" }, "metadata must be asked for")
        try await server.stop()
    }

    @Test("the digest page link is signed: the page renders with charts; a tampered or expired link gets 403")
    func digestPage() async throws {
        let server = try await TestServer.start(clockStart: Self.beforeDigest, configure: Self.configure)
        try await Self.seed(server.store)
        server.clock.advance(by: 15 * 60)
        try await waitForPosts(server, channels: ["CSALES"])
        let post = try #require(mainPosts(server.slack, channel: "CSALES").first)
        let body = String(decoding: post.body, as: UTF8.self)
        let link = try #require(
            body.range(of: #"http://127\.0\.0\.1:[0-9]+/digests/[^"\\]+"#, options: .regularExpression).map {
                String(body[$0])
            })
        let start = try #require(link.range(of: "/digests/"))
        let path = String(link[start.lowerBound...])
        let page = try await server.get(path)
        #expect(page.status == .ok)
        #expect(page.text.contains("<svg"))
        #expect(page.text.contains("10–19"), "the page shows the same bucket as the post")
        #expect(!page.text.contains("src=\"http"), "no external assets")
        let tampered = try await server.get(path.replacingOccurrences(of: "sig=", with: "sig=x"))
        #expect(tampered.status == .forbidden)
        #expect(!tampered.text.contains("<svg"))
        server.clock.advance(by: 31 * 86_400)
        let expired = try await server.get(path)
        #expect(expired.status == .forbidden)
        #expect(expired.text.lowercased().contains("expired"))
        try await server.stop()
    }

    @Test("/reflect privacy shows what last week's digest says about the person's team, and nothing about them")
    func privacyReceipt() async throws {
        let server = try await TestServer.start(clockStart: Self.beforeDigest, configure: Self.configure)
        try await Self.seed(server.store)
        Self.registerDirectory(server.slack)
        let receipt = try await server.postSigned(SlackBodies.slashCommand("privacy", user: "US5"))
        #expect(receipt.status == .ok)
        #expect(receipt.json?["response_type"] == "ephemeral")
        #expect(receipt.text.contains("Sales") && receipt.text.contains("10–19"))
        #expect(receipt.text.contains("2026-W47"), "the last finished week, never the week in progress")
        #expect(receipt.text.contains("Summarised customer calls"), "consented quotes, scrubbed with the directory")
        #expect(!receipt.text.contains("left out"))
        #expect(!receipt.text.contains("US5") && !receipt.text.contains("p_"))
        let tiny = try await server.postSigned(SlackBodies.slashCommand("privacy", user: "UT1"))
        #expect(tiny.text.contains("Tiny") && tiny.text.contains("quiet"), "a small team's receipt shows no numbers")
        #expect(server.slack.calls("users.list").count == 1, "the directory read for the first receipt is kept")
        try await server.stop()
    }

    /// The differencing attack on a live receipt: ask, let a colleague reflect, ask again, compare.
    @Test("a receipt is the stored release: asking before and after colleagues reflect gives the same answer")
    func receiptIsNotALiveLookup() async throws {
        let server = try await TestServer.start(clockStart: Self.beforeDigest, configure: Self.configure)
        try await Self.seed(server.store)
        Self.registerDirectory(server.slack)
        let before = try await server.postSigned(SlackBodies.slashCommand("privacy", user: "US5"))
        // Eight more Sales people reflect on last week (a late write) and one this week; one reflects twice.
        let key = Pseudonymizer(secret: "test-pseudonym-key-0123456789")
        for index in 12..<20 {
            let user = PlatformUser(platform: .slack, workspace: "T0001", userID: "US\(index)")
            let address = DeliveryAddress(platform: .slack, workspace: "T0001", userID: user.userID)
            try await server.store.recordReflection(
                Reflection(
                    id: "late-\(index)", person: key.pseudonym(for: user), createdAt: Self.midWeek, source: .modal,
                    text: "Late note", outcome: .worse),
                from: address)
            try await server.store.assignRoles(
                [RoleAssignment(address: address, pseudonym: key.pseudonym(for: user), roleLevel: "ic", team: "Sales")],
                at: Self.midWeek)
        }
        _ = try await server.postSigned(SlackBodies.slashCommand("used AI to draft a reply", user: "US3"))
        let after = try await server.postSigned(SlackBodies.slashCommand("privacy", user: "US5"))
        #expect(after.status == .ok)
        #expect(after.text == before.text, "the second receipt must not differ by who reflected in between")
        // And the posted digest shows the numbers the receipts showed.
        server.clock.advance(by: 15 * 60)
        try await waitForPosts(server, channels: ["CSALES"])
        let post = try #require(mainPosts(server.slack, channel: "CSALES").first)
        #expect(String(decoding: post.body, as: UTF8.self).contains("10–19"))
        try await server.stop()
    }

    @Test("previews show finished weeks only: the week in progress is refused with the latest finished week named")
    func previewOfTheWeekInProgress() async throws {
        let server = try await TestServer.start(clockStart: Self.beforeDigest, configure: Self.configure)
        try await Self.seed(server.store)
        let preview = try await server.postSigned(
            SlackBodies.slashCommand(
                "digest preview team:Sales 2026-W48", user: TestServer.adminUserID, command: "/debrief"))
        #expect(preview.status == .ok)
        #expect(preview.text.contains("finished weeks only") && preview.text.contains("2026-W47"))
        #expect(!preview.text.contains("10–19"))
        try await server.stop()
    }

    @Test("role levels and teams come from the configured Slack user groups, fresh for each digest")
    func rolesFromUserGroups() async throws {
        let server = try await TestServer.start(clockStart: Self.beforeDigest) { configuration in
            Self.configure(&configuration)
            configuration.digests.roleGroups = [(role: "leader", group: "SLEADERS")]
            configuration.digests.teamGroups = [
                (team: "Sales", group: "SSALES"), (team: "Support", group: "SSUPPORT"), (team: "Tiny", group: "STINY"),
            ]
        }
        try await Self.seed(server.store)
        Self.registerDirectory(server.slack)
        // Stored roles say US0 and US1 lead; the directory now says only US1 does.
        server.slack.setUsergroup("SLEADERS", users: ["US1"])
        server.slack.setUsergroup("SSALES", users: (0..<12).map { "US\($0)" })
        server.slack.setUsergroup("SSUPPORT", users: (0..<8).map { "UP\($0)" })
        server.slack.setUsergroup("STINY", users: (0..<4).map { "UT\($0)" })
        server.clock.advance(by: 15 * 60)
        try await waitForPosts(server, channels: ["CSALES"])
        let thread = server.slack.calls("chat.postMessage").first {
            $0.string("channel") == "CSALES" && $0.string("thread_ts") != nil
        }
        let details = thread?.string("text") ?? ""
        #expect(details.contains("us1"), "the current leader's attributed note is shown: \(details)")
        #expect(!details.contains("us0"), "someone who left the leader group is no longer shown as a leader")
        try await server.stop()
    }

    @Test("debrief digest preview prints quotes scrubbed with the Slack directory, or says why they are left out")
    func commandLinePreview() async throws {
        let path = TestServer.temporaryDatabasePath()
        let store = try DatabaseURL.sqliteFile(path: path).openStore(pseudonymKey: .configured(TestServer.pseudonymKey))
        try await store.migrate()
        try await Self.seed(store)
        let slack = try await FakeSlack.start()
        Self.registerDirectory(slack)
        var configuration = DebriefConfiguration(
            database: .sqliteFile(path: path),
            slack: SlackConfiguration(
                credentials: .init(signingSecret: "preview-signing-secret", botToken: FakeSlack.defaultToken),
                apiURL: slack.baseURL),
            privacy: PrivacyConfiguration(pseudonymKey: TestServer.pseudonymKey))
        let monday = Self.date("2026-11-23T09:00:00Z")
        let online = try await DigestPreview.render(
            configuration: configuration, target: "team:Sales", week: "2026-W47", now: monday)
        #expect(online.contains("Summarised customer calls"), "a consented quote: \(online)")
        #expect(online.contains("*us0*") && online.contains("*us1*"), "leaders who chose to be named are named")
        #expect(!online.contains("left out"))
        #expect(slack.calls("chat.postMessage").isEmpty, "a preview posts nothing")
        configuration.slack.credentials = nil
        let offline = try await DigestPreview.render(
            configuration: configuration, target: "team:Sales", week: "2026-W47", now: monday)
        #expect(offline.contains("10–19"), "numbers do not need the directory")
        #expect(!offline.contains("Summarised customer calls") && !offline.contains("us0"))
        #expect(offline.contains("left out of this preview: Slack is not configured"))
        await slack.stop()
    }

    @Test("/debrief digest preview shows an admin what would be posted, without posting")
    func adminPreview() async throws {
        // No digest channels configured: nothing can be posted, whatever the day.
        let server = try await TestServer.start(clockStart: Self.date("2026-11-25T12:00:00Z"))
        try await Self.seed(server.store)
        let preview = try await server.postSigned(
            SlackBodies.slashCommand(
                "digest preview team:Sales 2026-W47", user: TestServer.adminUserID, command: "/debrief"))
        #expect(preview.json?["response_type"] == "ephemeral")
        #expect(preview.text.contains("not posted") && preview.text.contains("10–19"))
        let refused = try await server.postSigned(
            SlackBodies.slashCommand("digest preview", user: "US3", command: "/debrief"))
        #expect(refused.text.contains("Sorry"))
        #expect(server.slack.calls("chat.postMessage").isEmpty, "a preview posts nothing")
        try await server.stop()
    }
}
