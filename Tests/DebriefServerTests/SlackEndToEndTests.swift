import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefStoreSQLite
import DebriefTestSupport
import Foundation
import HTTPTypes
import Testing

/// The server over real loopback HTTP, driven like Slack drives it, against a fake Slack Web API.
@Suite("Slack end to end")
struct SlackEndToEndTests {
    static let alice = PlatformUser(platform: .slack, workspace: "T0001", userID: "U0001")

    func pseudonym(_ user: PlatformUser = alice) -> Pseudonym {
        Pseudonymizer(secret: "test-pseudonym-key-0123456789").pseudonym(for: user)
    }

    @Test("/reflect alone opens the modal with the trigger, right after an empty ack")
    func reflectOpensModal() async throws {
        let server = try await TestServer.start()
        let response = try await server.postSigned(SlackBodies.slashCommand("", trigger: "1.2.open"))
        #expect(response.status == .ok)
        #expect(response.body.isEmpty)
        let call = try await server.slack.waitForCall(method: "views.open")
        #expect(call.token == TestServer.botToken)
        #expect(call.string("trigger_id") == "1.2.open")
        let view = try #require(call.argument("view"))
        #expect(view["type"] == "modal")
        #expect(view["callback_id"] == "reflection")
        let blockIDs = view["blocks"]?.arrayValue?.compactMap { $0["block_id"]?.stringValue } ?? []
        #expect(blockIDs.contains("text") && blockIDs.contains("consent") && blockIDs.contains("outcome"))
        try await server.stop()
    }

    @Test("a submission with an error keeps the modal open on that field; a valid one is stored")
    func modalValidationThenSuccess() async throws {
        let server = try await TestServer.start()
        let invalid = try await server.postSigned(
            SlackBodies.reflectionSubmission(text: "  ", outcome: "worse", minutes: "31-60"))
        #expect(invalid.status == .ok)
        let errors = try #require(invalid.json)
        #expect(errors["response_action"] == "errors")
        #expect(errors["errors"]?["text"]?.stringValue?.isEmpty == false)
        #expect(errors["errors"]?["minutes_saved"]?.stringValue?.isEmpty == false)
        #expect(try await server.store.exportPerson(pseudonym()) == nil, "nothing is stored from an invalid form")

        let valid = try await server.postSigned(
            SlackBodies.reflectionSubmission(
                text: "Drafted the quarterly brief with an LLM, then fact-checked it", outcome: "saved_time",
                minutes: "31-60", confidence: "4", category: "drafting", tool: "Claude",
                blockers: ["trust_in_output"], consent: "anonymous_quote"))
        #expect(valid.status == .ok)
        #expect(
            valid.json?["response_action"] == "update" || valid.json?["response_action"] == "clear"
                || valid.body.isEmpty)
        let export = try #require(try await server.store.exportPerson(pseudonym()))
        let stored = try #require(export.reflections.first)
        #expect(export.reflections.count == 1)
        #expect(stored.text == "Drafted the quarterly brief with an LLM, then fact-checked it")
        #expect(stored.outcome == .savedTime)
        #expect(stored.minutesSaved == .upTo60)
        #expect(stored.confidence == 4)
        #expect(stored.taskCategory == .drafting)
        #expect(stored.blockers == [.trustInOutput])
        #expect(stored.consent == .anonymousQuote)
        #expect(stored.source == .modal)
        #expect(!stored.person.value.contains("U0001"))
        try await server.stop()
    }

    @Test("a quick reflection is stored before the ack; Add details opens it prefilled and replaces it")
    func quickReflectionAndDetails() async throws {
        let databasePath = TestServer.temporaryDatabasePath()
        let server = try await TestServer.start(databasePath: databasePath)
        let response = try await server.postSigned(SlackBodies.slashCommand("used AI to draft a spec"))
        #expect(response.status == .ok)
        let reply = try #require(response.json)
        #expect(reply["response_type"] == "ephemeral")
        // Durable at the moment of the 200: a second connection to the file sees it (a crash now loses nothing).
        let independent = try SQLiteStore(
            location: .file(path: databasePath), pseudonymKey: .configured(TestServer.pseudonymKey))
        let export = try #require(try await independent.exportPerson(pseudonym()))
        let quick = try #require(export.reflections.first)
        #expect(quick.text == "used AI to draft a spec")
        #expect(quick.source == .quick)

        let buttons = (reply["blocks"]?.arrayValue ?? []).flatMap { $0["elements"]?.arrayValue ?? [] }
        let addDetails = try #require(buttons.first { $0["action_id"] == "reflection_add_details" })
        #expect(addDetails["value"]?.stringValue == quick.id)

        let responseURL = server.slack.responseURL(id: "details")
        let click = try await server.postSigned(
            SlackBodies.blockAction(
                actionID: "reflection_add_details", value: quick.id, trigger: "2.3.details", responseURL: responseURL))
        #expect(click.status == .ok)
        let open = try await server.slack.waitForCall(method: "views.open")
        #expect(open.string("trigger_id") == "2.3.details")
        let view = try #require(open.argument("view"))
        let textBlock = view["blocks"]?.arrayValue?.first { $0["block_id"] == "text" }
        #expect(textBlock?["element"]?["initial_value"] == "used AI to draft a spec")
        let metadata = try #require(view["private_metadata"]?.stringValue)

        let submit = try await server.postSigned(
            SlackBodies.reflectionSubmission(
                text: "used AI to draft a spec, it cut the first draft from 2h to 30 min", outcome: "saved_time",
                minutes: "61-120", privateMetadata: metadata))
        #expect(submit.status == .ok)
        let after = try #require(try await server.store.exportPerson(pseudonym()))
        #expect(after.reflections.count == 1, "details replace the quick reflection instead of adding one")
        #expect(after.reflections.first?.id == quick.id)
        #expect(after.reflections.first?.minutesSaved == .upTo120)
        try await server.stop()
    }

    @Test("forget asks first, then erases the person and every reflection, also from the database files")
    func forgetErasesEverything() async throws {
        let server = try await TestServer.start()
        _ = try await server.postSigned(SlackBodies.slashCommand("first reflection about summaries"))
        _ = try await server.postSigned(SlackBodies.slashCommand("second reflection about code review"))
        #expect(try await server.store.exportPerson(pseudonym())?.reflections.count == 2)

        let ask = try await server.postSigned(SlackBodies.slashCommand("forget"))
        let askJSON = try #require(ask.json)
        let buttons = (askJSON["blocks"]?.arrayValue ?? []).flatMap { $0["elements"]?.arrayValue ?? [] }
        #expect(buttons.contains { $0["action_id"] == "reflection_forget_confirm" })
        #expect(try await server.store.exportPerson(pseudonym()) != nil, "asking alone erases nothing")

        let responseURL = server.slack.responseURL(id: "forget")
        let confirm = try await server.postSigned(
            SlackBodies.blockAction(actionID: "reflection_forget_confirm", value: "confirm", responseURL: responseURL))
        #expect(confirm.status == .ok)
        #expect(try await server.store.exportPerson(pseudonym()) == nil)
        // Erased also on disk: not in the database file, its write-ahead log or its index.
        #expect(
            DatabaseFiles.found(
                [
                    "first reflection about summaries", "second reflection about code review", "U0001",
                    pseudonym().value,
                ],
                in: server.databasePath) == [])
        let post = try await server.slack.waitForCall(method: FakeSlack.responseURLMethod)
        #expect(post.responseID == "forget")
        #expect(post.json?["replace_original"] == true)
        // Someone else's data is untouched.
        let mine = try await server.postSigned(SlackBodies.slashCommand("mine"))
        #expect(mine.status == .ok)
        try await server.stop()
    }

    @Test("/reflect mine shows what is stored, readable and as JSON")
    func mineExports() async throws {
        let server = try await TestServer.start()
        _ = try await server.postSigned(SlackBodies.slashCommand("asked AI to outline a workshop"))
        let mine = try await server.postSigned(SlackBodies.slashCommand("mine"))
        let text = mine.text
        #expect(text.contains("asked AI to outline a workshop"))
        #expect(text.contains("```"), "the JSON export is in a code block")
        #expect(text.contains(pseudonym().value))
        try await server.stop()
    }

    @Test("pause, resume and stop are remembered")
    func pauseResumeStop() async throws {
        let server = try await TestServer.start()
        let pause = try await server.postSigned(SlackBodies.slashCommand("pause 2w"))
        #expect(pause.status == .ok)
        let paused = try #require(try await server.store.preferences(of: pseudonym()))
        let expected = server.clock.now().addingTimeInterval(14 * 86_400)
        #expect(abs((paused.pausedUntil ?? .distantPast).timeIntervalSince(expected)) < 5)
        _ = try await server.postSigned(SlackBodies.slashCommand("stop"))
        #expect(try await server.store.preferences(of: pseudonym())?.stopped == true)
        _ = try await server.postSigned(SlackBodies.slashCommand("resume"))
        #expect(try await server.store.preferences(of: pseudonym()) == PersonPreferences())
        let bad = try await server.postSigned(SlackBodies.slashCommand("pause whenever"))
        #expect(bad.status == .ok)
        #expect(bad.json?["response_type"] == "ephemeral")
        #expect(bad.text.contains("whenever"), "the help names what was wrong")
        try await server.stop()
    }

    @Test("pause until a date resumes at the start of that day in the organisation's zone, not UTC")
    func pauseUntilLocalMidnight() async throws {
        let kolkata = TimeZone(identifier: "Asia/Kolkata") ?? .gmt
        let server = try await TestServer.start(
            clockStart: ISO8601DateFormatter().date(from: "2026-11-20T12:00:00Z") ?? Date()
        ) { $0.organisationTimeZone = kolkata }
        let reply = try await server.postSigned(SlackBodies.slashCommand("pause until 2026-12-24"))
        #expect(reply.text.contains("Thursday 24 December 2026"), "\(reply.text)")
        let paused = try #require(try await server.store.preferences(of: pseudonym()))
        #expect(paused.pausedUntil == ISO8601DateFormatter().date(from: "2026-12-23T18:30:00Z"), "midnight in Kolkata")
        try await server.stop()
    }

    @Test("repeated event ids and Slack retries are processed once")
    func duplicateEvents() async throws {
        let server = try await TestServer.start()
        let body = SlackBodies.event(SlackBodies.appHomeOpened(), eventID: "Ev0001")
        let first = try await server.postSigned(body, contentType: "application/json")
        #expect(first.status == .ok)
        _ = try await server.slack.waitForCall(method: "views.publish")
        let retry = try await server.postSigned(
            body, contentType: "application/json",
            extraHeaders: ["X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"])
        #expect(retry.status == .ok)
        let other = SlackBodies.event(SlackBodies.appHomeOpened(), eventID: "Ev0002")
        _ = try await server.postSigned(other, contentType: "application/json")
        let publishes = try await server.slack.waitForCalls(method: "views.publish", count: 2)
        #expect(publishes.count == 2)
        #expect(publishes[0].string("user_id") == "U0001")
        #expect(publishes[0].argument("view")?["type"] == "home")
        // Graceful shutdown drains the background work already accepted: anything the retry queued is done.
        try await server.stop()
        #expect(server.slack.calls("views.publish").count == 2, "the retry of Ev0001 published nothing")
    }

    @Test("uninstall and token revocation are recorded")
    func installationEvents() async throws {
        let server = try await TestServer.start()
        _ = try await server.postSigned(
            SlackBodies.event(["type": "app_uninstalled", "event_ts": "1735689600.1"], eventID: "Ev10"),
            contentType: "application/json")
        _ = try await server.postSigned(
            SlackBodies.event(
                [
                    "type": "tokens_revoked", "tokens": ["oauth": ["U0001"], "bot": ["UBOT0001"]],
                    "event_ts": "1735689600.2",
                ],
                eventID: "Ev11"),
            contentType: "application/json")
        #expect(
            try await server.store.installationEvents(workspace: "T0001").map(\.kind) == [.uninstalled, .tokensRevoked])
        try await server.stop()
    }

    @Test("url_verification answers the challenge")
    func urlVerification() async throws {
        let server = try await TestServer.start()
        let response = try await server.postSigned(
            #"{"token":"x","challenge":"abc123","type":"url_verification"}"#, contentType: "application/json")
        #expect(response.status == .ok)
        #expect(response.json?["challenge"] == "abc123")
        try await server.stop()
    }

    @Test("bad requests get clear 4xx answers, never a 500")
    func badRequests() async throws {
        let server = try await TestServer.start()
        let body = SlackBodies.slashCommand("a reflection")
        #expect(try await server.postSigned(body, secret: "wrong-secret").status == .unauthorized)
        #expect(
            try await server.postSigned(body, timestamp: server.clock.now().addingTimeInterval(-301)).status
                == .unauthorized)
        let unsigned = try await server.client.execute(
            HTTPRequestSpec(
                method: .post, url: server.eventsURL, headerFields: HTTPFieldsBuilder.form(), body: Data(body.utf8)))
        #expect(unsigned.status == .unauthorized)
        let huge = try await server.postSigned("text=" + String(repeating: "a", count: (1 << 20) + 10))
        #expect(huge.status == .contentTooLarge)
        let malformed = try await server.postSigned("{not json", contentType: "application/json")
        #expect(malformed.status == .badRequest)
        #expect(malformed.json?["error"]?.stringValue?.isEmpty == false)
        let unknown = try await server.postSigned(
            SlackBodies.interaction(["type": "something_new", "user": ["id": "U1"]]))
        #expect(unknown.status == .badRequest)
        #expect(unknown.text.contains("something_new"))
        let ssl = try await server.client.execute(
            HTTPRequestSpec(
                method: .post, url: server.eventsURL, headerFields: HTTPFieldsBuilder.form(),
                body: Data("ssl_check=1&token=x".utf8)))
        #expect(ssl.status == .ok)
        #expect(try await server.store.exportPerson(pseudonym()) == nil)
        try await server.stop()
    }

    @Test("when views.open fails the person is told through response_url")
    func expiredTrigger() async throws {
        let server = try await TestServer.start()
        server.slack.expireTrigger("1.2.late")
        let responseURL = server.slack.responseURL(id: "late")
        _ = try await server.postSigned(SlackBodies.slashCommand("", trigger: "1.2.late", responseURL: responseURL))
        let post = try await server.slack.waitForCall(method: FakeSlack.responseURLMethod)
        #expect(post.responseID == "late")
        #expect(post.json?["text"]?.stringValue?.isEmpty == false)
        try await server.stop()
    }

    @Test("without Slack secrets the server runs and Slack routes explain what to set")
    func notConfigured() async throws {
        let server = try await TestServer.start(slackConfigured: false)
        let health = try await server.get("/healthz")
        #expect(health.status == .ok)
        #expect(try await server.get("/readyz").status == .ok)
        let slack = try await server.postSigned(SlackBodies.slashCommand("hello"))
        #expect(slack.status == .serviceUnavailable)
        #expect(slack.text.contains("SLACK_SIGNING_SECRET") && slack.text.contains("SLACK_BOT_TOKEN"))
        try await server.stop()
    }

    @Test("metrics count requests by route and status, and signature failures")
    func metrics() async throws {
        let server = try await TestServer.start()
        _ = try await server.postSigned(SlackBodies.slashCommand("a reflection on metrics"))
        _ = try await server.postSigned(SlackBodies.slashCommand("x"), secret: "wrong")
        #expect(try await server.get("/no-such-page").status == .notFound)
        let metrics = try await server.get("/metrics")
        #expect(metrics.status == .ok)
        // Hummingbird's request metrics (``RequestMetricsMiddleware``): requests and their duration by route
        // template, method and status; errors by route and status; requests in flight by method. The registry is
        // the process's, shared with tests running alongside: each count is at least this test's own.
        let lines = metrics.text.split(separator: "\n")
        func count(_ prefix: String, _ parts: [String]) -> Double {
            let line = lines.first { line in line.hasPrefix(prefix) && parts.allSatisfy { line.contains($0) } }
            return line.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } ?? 0
        }
        let slackOK = [
            #"http_route="/slack/events""#, #"http_request_method="POST""#, #"http_response_status_code="200""#,
        ]
        #expect(count("hb_requests{", slackOK) >= 1, "the signed reflection answered 200")
        #expect(
            count("hb_requests{", [#"http_route="/slack/events""#, #"http_response_status_code="401""#]) >= 1,
            "the refused signature")
        #expect(count("http_server_request_duration_count{", slackOK) >= 1, "its duration")
        #expect(
            count("hb_request_errors{", [#"http_route="NotFound""#, #"error_type="404""#]) >= 1,
            "the unknown page counts as an error")
        #expect(metrics.text.contains(#"http_server_active_requests{http_request_method="POST"}"#))
        #expect(metrics.text.contains("debrief_slack_signature_failures_total"))
        #expect(!metrics.text.contains("U0001"))
        try await server.stop()
    }

    @Test("logs never contain user ids, tokens, secrets or reflection text, even at trace level")
    func logsStayClean() async throws {
        let logs = LogCapture()
        let server = try await TestServer.start(logs: logs)
        _ = try await server.postSigned(SlackBodies.slashCommand("secretive reflection about payroll"))
        _ = try await server.postSigned(SlackBodies.slashCommand("", trigger: "1.2.logs"))
        _ = try await server.slack.waitForCall(method: "views.open")
        _ = try await server.postSigned(SlackBodies.slashCommand("x"), secret: "wrong")
        _ = try await server.postSigned(
            SlackBodies.reflectionSubmission(text: "another private thought on hiring", outcome: "saved_time"))
        _ = try await server.postSigned(
            SlackBodies.event(SlackBodies.appHomeOpened(), eventID: "EvLog"), contentType: "application/json")
        _ = try await server.slack.waitForCall(method: "views.publish")
        try await server.stop()
        let text = logs.all.joined(separator: "\n")
        #expect(!logs.all.isEmpty)
        for forbidden in [
            "U0001", TestServer.botToken, TestServer.signingSecret, "payroll", "hiring", "test-pseudonym-key",
        ] {
            #expect(!text.contains(forbidden), "logs contain \(forbidden)")
        }
    }

    @Test("graceful shutdown finishes in-flight work and returns cleanly")
    func gracefulShutdown() async throws {
        let server = try await TestServer.start()
        server.slack.failNext(method: "views.open", with: .delay(.milliseconds(300)))
        _ = try await server.postSigned(SlackBodies.slashCommand("", trigger: "1.2.slow"))
        try await server.stop()
        #expect(server.slack.calls("views.open").count == 1, "the modal call accepted before shutdown completed")
    }
}

enum HTTPFieldsBuilder {
    static func form() -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = "application/x-www-form-urlencoded"
        return fields
    }
}
