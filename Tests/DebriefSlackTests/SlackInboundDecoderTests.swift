import DebriefSlack
import Foundation
import Testing

@Suite("Decoding what Slack sends")
struct SlackInboundDecoderTests {
    static let form = "application/x-www-form-urlencoded"
    static let json = "application/json"

    func decode(_ fixture: String, contentType: String?) throws -> SlackInboundPayload {
        try SlackInboundDecoder.decode(body: try Fixture.data(fixture), contentType: contentType)
    }

    @Test func slashCommand() throws {
        let payload = try decode("slash_command.form", contentType: Self.form)
        guard case .slashCommand(let command) = payload else {
            Issue.record("expected a slash command, got \(payload)")
            return
        }
        #expect(command.teamID == "T0001")
        #expect(command.enterpriseID == nil)
        #expect(command.channelID == "D0001")
        #expect(command.userID == "U0001")
        #expect(command.command == "/reflect")
        #expect(command.text == "used AI to draft a spec")
        #expect(command.responseURL == "https://hooks.slack.com/commands/T0001/1/abc")
        #expect(command.triggerID == "1.2.abc")
        #expect(command.apiAppID == "A0001")
        #expect(command.isEnterpriseInstall == false)
    }

    @Test func slashCommandOnEnterpriseGridWithEscapedText() throws {
        guard case .slashCommand(let command) = try decode("slash_command_grid.form", contentType: nil) else {
            Issue.record("expected a slash command")
            return
        }
        #expect(command.enterpriseID == "E0001")
        #expect(command.isEnterpriseInstall)
        #expect(command.userID == "W0002")
        #expect(command.text == "Café menu + prices: summarised 50% faster & checked <by hand>")
    }

    @Test func slashCommandFromSlackDocsHasEmptyTextAndNoAppID() throws {
        guard case .slashCommand(let command) = try decode("slash_command_docs.form", contentType: Self.form) else {
            Issue.record("expected a slash command")
            return
        }
        #expect(command.text == "")
        #expect(command.apiAppID == nil)
        #expect(command.command == "/webhook-collect")
    }

    @Test func sslCheck() throws {
        let body = try Fixture.data("ssl_check.form")
        #expect(SlackInboundDecoder.isSSLCheck(formBody: body))
        #expect(try SlackInboundDecoder.decode(body: body, contentType: Self.form) == .sslCheck)
    }

    @Test func onlySSLCheckEqualToOneIsACheck() throws {
        for body in [
            "ssl_check=0&token=x", "ssl_check=true", "ssl_check=1x", "ssl_check=", "xssl_check=1",
            "{\"ssl_check\":\"1\"}",
        ] {
            #expect(!SlackInboundDecoder.isSSLCheck(formBody: Data(body.utf8)), "\(body)")
        }
        #expect(SlackInboundDecoder.isSSLCheck(formBody: Data("token=x&ssl_check=1".utf8)))
        // Not a check, and not a command either.
        #expect(throws: SlackPayloadError.self) {
            try SlackInboundDecoder.decode(body: Data("ssl_check=0&token=x".utf8), contentType: Self.form)
        }
    }

    @Test(arguments: ["block_actions_message.form", "block_actions_message.json"])
    func blockActionsFromAMessageButton(fixture: String) throws {
        let contentType = fixture.hasSuffix(".form") ? Self.form : Self.json
        guard case .blockActions(let actions) = try decode(fixture, contentType: contentType) else {
            Issue.record("expected block_actions")
            return
        }
        #expect(actions.userID == "U0001")
        #expect(actions.teamID == "T0001")
        #expect(actions.triggerID == "4.5.ghi")
        #expect(actions.responseURL == "https://hooks.slack.com/actions/T0001/3/jkl")
        #expect(actions.container == .message(channelID: "D0001", messageTS: "1735689600.000100", isEphemeral: true))
        #expect(actions.view == nil)
        #expect(
            actions.actions == [
                BlockActions.Action(
                    actionID: SlackActionID.addDetails, blockID: SlackBlockID.quickStoredActions, type: "button",
                    value: "r_01JH3K9Q", actionTS: "1735689612.123456")
            ])
    }

    @Test func blockActionsFromAModal() throws {
        guard case .blockActions(let actions) = try decode("block_actions_modal.form", contentType: Self.form) else {
            Issue.record("expected block_actions")
            return
        }
        #expect(actions.container == .view(viewID: "V0ABCDEF1"))
        #expect(actions.responseURL == nil)
        #expect(actions.view?.id == "V0ABCDEF1")
        #expect(actions.view?.callbackID == "reflection")
        #expect(actions.view?.privateMetadata == "r_01JH3K9Q")
        #expect(actions.view?.hash == "1735689620.AbCdEf12")
        #expect(actions.actions.count == 2)
        #expect(actions.actions[0].selectedOptions == ["policy_unclear", "no_time"])
        #expect(actions.actions[0].value == nil)
        #expect(actions.actions[1].selectedOption == "coding")
    }

    @Test func viewSubmissionWithEveryElementType() throws {
        guard case .viewSubmission(let submission) = try decode("view_submission.form", contentType: Self.form) else {
            Issue.record("expected view_submission")
            return
        }
        #expect(submission.userID == "U0001")
        #expect(submission.teamID == "T0001")
        #expect(submission.viewID == "V0ABCDEF1")
        #expect(submission.callbackID == "reflection")
        #expect(submission.privateMetadata == "r_01JH3K9Q")
        #expect(submission.triggerID == "8.9.pqr")
        #expect(submission.hash == "1735689630.XyZ98765")
        let values = submission.values
        #expect(values["tool"]?["tool"] == .text("Copilot"))
        #expect(values["task_category"]?["task_category"] == .option("drafting"))
        #expect(values["outcome"]?["outcome"] == .option("saved_time"))
        #expect(values["blockers"]?["blockers"] == .options(["trust_in_output", "no_time"]))
        #expect(values["consent"]?["consent"] == .option("anonymous_quote"))
        #expect(values["extra_multi"]?["pick"] == .options(["a", "b"]))
        #expect(values["extra_date"]?["when"] == .date("2030-01-31"))
        #expect(values["extra_time"]?["at"] == .time("09:30"))
        #expect(values["extra_user"]?["who"] == .user("U0009"))
        #expect(values["extra_channel"]?["where"] == .conversation("C0009"))
        #expect(values["extra_number"]?["count"] == .text("42"))
        #expect(values["extra_rich"]?["rich"] == .other(type: "rich_text_input"))
    }

    @Test func viewSubmissionWithEmptyOptionalInputs() throws {
        guard case .viewSubmission(let submission) = try decode("view_submission_minimal.json", contentType: Self.json)
        else {
            Issue.record("expected view_submission")
            return
        }
        #expect(submission.values["tool"]?["tool"] == .text(nil))
        #expect(submission.values["task_category"]?["task_category"] == .option(nil))
        #expect(submission.values["blockers"]?["blockers"] == .options([]))
        #expect(submission.privateMetadata == "")
    }

    @Test func viewClosed() throws {
        guard case .viewClosed(let closed) = try decode("view_closed.form", contentType: Self.form) else {
            Issue.record("expected view_closed")
            return
        }
        #expect(
            closed
                == ViewClosed(
                    userID: "U0001", teamID: "T0001", viewID: "V0ABCDEF1", callbackID: "reflection",
                    privateMetadata: "r_01JH3K9Q", isCleared: true))
    }

    @Test func urlVerificationEvenWithoutContentType() throws {
        #expect(try decode("url_verification.json", contentType: Self.json) == .urlVerification(challenge: "abc123"))
        #expect(try decode("url_verification.json", contentType: nil) == .urlVerification(challenge: "abc123"))
        #expect(
            try decode("url_verification.json", contentType: "application/json; charset=utf-8")
                == .urlVerification(challenge: "abc123"))
    }

    @Test("a JSON content type is recognised in any case, with parameters and blanks; other types are not JSON")
    func jsonContentTypes() throws {
        // A leading blank, so the body alone (which would need a first `{`) does not make it JSON.
        let body = Data(#" {"token":"x","challenge":"abc123","type":"url_verification"}"#.utf8)
        for type in [
            "application/json", "Application/JSON; charset=utf-8", " application/json ;charset=UTF-8",
            "APPLICATION/JSON;",
        ] {
            #expect(
                try SlackInboundDecoder.decode(body: body, contentType: type) == .urlVerification(challenge: "abc123"),
                "\(type)")
        }
        for type in ["application/jsonx", "text/json", Self.form, "", ";application/json", "application/ json"] {
            #expect(throws: SlackPayloadError.self, "\(type)") {
                try SlackInboundDecoder.decode(body: body, contentType: type)
            }
        }
    }

    @Test func appHomeOpened() throws {
        #expect(
            try decode("event_app_home_opened.json", contentType: Self.json)
                == .eventCallback(
                    EventCallback(
                        teamID: "T0001", apiAppID: "A0001", eventID: "Ev0HOME0001", eventTime: 1_735_689_660,
                        event: .appHomeOpened(user: "U0001", channel: "D0001", tab: "home"))))
    }

    @Test func appUninstalled() throws {
        guard case .eventCallback(let callback) = try decode("event_app_uninstalled.json", contentType: Self.json)
        else {
            Issue.record("expected event_callback")
            return
        }
        #expect(callback.event == .appUninstalled)
        #expect(callback.eventType == "app_uninstalled")
        #expect(callback.eventID == "Ev0UNINST01")
    }

    @Test func tokensRevoked() throws {
        guard case .eventCallback(let callback) = try decode("event_tokens_revoked.json", contentType: Self.json) else {
            Issue.record("expected event_callback")
            return
        }
        #expect(callback.enterpriseID == "E0001")
        #expect(callback.event == .tokensRevoked(oauthUserIDs: ["U0001", "U0002"], botUserIDs: ["UBOT0001"]))
    }

    @Test func otherEventsAreKeptByType() throws {
        guard case .eventCallback(let callback) = try decode("event_other.json", contentType: Self.json) else {
            Issue.record("expected event_callback")
            return
        }
        #expect(callback.event == .other(type: "user_change"))
        #expect(callback.eventTime == 1_735_689_690)
    }

    @Test func appRateLimited() throws {
        #expect(
            try decode("app_rate_limited.json", contentType: Self.json)
                == .appRateLimited(teamID: "T0001", minuteRateLimited: 1_735_689_600))
    }

    @Test(arguments: ["shortcut.form", "shortcut.json"])
    func unhandledTypesAreNamed(fixture: String) throws {
        #expect(throws: SlackPayloadError.unknownType("shortcut")) {
            try decode(fixture, contentType: fixture.hasSuffix(".form") ? Self.form : Self.json)
        }
    }

    @Test func unknownTypeIsSanitised() {
        let body = Data(
            #"{"type":"weird <script>\n type that is really very long and goes on and on and on and on"}"#.utf8)
        do {
            _ = try SlackInboundDecoder.decode(body: body, contentType: Self.json)
            Issue.record("expected an error")
        } catch {
            guard case .unknownType(let type) = error else {
                Issue.record("expected unknownType, got \(error)")
                return
            }
            #expect(type.count <= 64)
            #expect(!type.contains("<"))
            #expect(!type.contains(" "))
        }
    }

    static let malformedBodies: [(String, String?)] = [
        ("", Self.form),
        ("", Self.json),
        ("{", Self.json),
        ("{not json", nil),
        ("[1,2,3]", Self.json),
        ("\"just a string\"", Self.json),
        ("{}", Self.json),
        (#"{"type":""}"#, Self.json),
        (#"{"type":42}"#, Self.json),
        (#"{"type":"url_verification"}"#, Self.json),
        (#"{"type":"event_callback","team_id":"T1"}"#, Self.json),
        (#"{"type":"event_callback","team_id":"T1","event_id":"Ev1","event_time":1}"#, Self.json),
        (
            #"{"type":"event_callback","team_id":"T1","event_id":"Ev1","event_time":"soon","event":{"type":"x"}}"#,
            Self.json
        ),
        (#"{"type":"event_callback","team_id":"T1","event_id":"Ev1","event_time":1,"event":{}}"#, Self.json),
        (
            #"{"type":"event_callback","team_id":"T1","event_id":"Ev1","event_time":1,"event":{"type":"app_home_opened"}}"#,
            Self.json
        ),
        (#"{"type":"app_rate_limited","team_id":"T1"}"#, Self.json),
        (#"{"type":"block_actions"}"#, Self.json),
        (#"{"type":"block_actions","user":{"id":"U1"},"team":{"id":"T1"},"trigger_id":"t"}"#, Self.json),
        (
            #"{"type":"block_actions","user":{"id":"U1"},"team":{"id":"T1"},"trigger_id":"t","actions":"nope","container":{"type":"view","view_id":"V1"}}"#,
            Self.json
        ),
        (
            #"{"type":"block_actions","user":{"id":"U1"},"team":{"id":"T1"},"trigger_id":"t","actions":[],"container":{"type":"message"}}"#,
            Self.json
        ),
        (#"{"type":"block_actions","user":"U1","team":{"id":"T1"},"trigger_id":"t","actions":[]}"#, Self.json),
        (#"{"type":"view_submission","user":{"id":"U1","team_id":"T1"}}"#, Self.json),
        (
            #"{"type":"view_submission","user":{"id":"U1","team_id":"T1"},"view":{"id":"V1","state":{"values":[]}}}"#,
            Self.json
        ),
        (#"{"type":"view_submission","user":{"id":"U1"},"team":null,"view":{"id":"V1"}}"#, Self.json),
        (#"{"type":"view_closed","user":{"id":"U1","team_id":"T1"},"view":{}}"#, Self.json),
        ("payload=%7Bbroken", Self.form),
        ("payload=", Self.form),
        ("command=%2Freflect&team_id=T1", Self.form),
        ("hello=world", Self.form),
        ("%%%%&&&===", Self.form),
    ]

    @Test(arguments: malformedBodies.indices)
    func malformedBodiesAreRejectedWithoutEchoingContent(index: Int) {
        let (body, contentType) = Self.malformedBodies[index]
        do {
            let payload = try SlackInboundDecoder.decode(body: Data(body.utf8), contentType: contentType)
            Issue.record("decoded \(payload) from malformed body #\(index)")
        } catch {
            guard case .malformed(let reason) = error else {
                Issue.record("expected malformed for #\(index), got \(error)")
                return
            }
            #expect(!reason.isEmpty)
            #expect(!reason.contains("U1"), "reason echoes a user id: \(reason)")
            #expect(!reason.contains("nope"))
        }
    }

    @Test func randomBytesNeverCrash() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let count = Int(generator.next() % 300)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if generator.next() % 3 == 0 { bytes.insert(UInt8(ascii: "{"), at: 0) }
            if generator.next() % 3 == 0 { bytes.insert(contentsOf: Array("payload=".utf8), at: 0) }
            _ = try? SlackInboundDecoder.decode(body: Data(bytes), contentType: nil)
            _ = SlackInboundDecoder.isSSLCheck(formBody: bytes)
        }
    }

    @Test func truncatedFixturesNeverCrash() throws {
        for name in [
            "view_submission.json", "block_actions_modal.json", "event_tokens_revoked.json", "view_submission.form",
        ] {
            let data = try Fixture.data(name)
            for length in stride(from: 0, to: data.count, by: max(1, data.count / 97)) {
                _ = try? SlackInboundDecoder.decode(body: data.prefix(length), contentType: nil)
            }
        }
    }
}

/// A tiny deterministic generator so fuzz-style tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
