import DebriefCore
import Foundation
import Testing

@Suite("Parsing /debrief admin commands")
struct AdminCommandTests {
    let berlin = TimeZone(identifier: "Europe/Berlin") ?? .gmt

    @Test("training add with a user group as Slack escapes it")
    func addWithUserGroup() throws {
        let command = AdminCommand.parse(
            #"training add "Prompting for briefs" ended:2026-11-20T16:00 participants:<!subteam^S0123|@ai-cohort-3>"#,
            timeZone: berlin)
        guard case .trainingAdd(let request) = command else {
            Issue.record("expected training add, got \(command)")
            return
        }
        #expect(request.title == "Prompting for briefs")
        // 16:00 in Berlin in November is 15:00 UTC.
        #expect(request.endedAt == ISO8601DateFormatter().date(from: "2026-11-20T15:00:00Z"))
        #expect(request.participants == [.userGroup(id: "S0123")])
        #expect(request.sequenceID == "default")
    }

    @Test("channels, people and e-mails, separated by commas or spaces, deduplicated")
    func mixedParticipants() {
        let command = AdminCommand.parse(
            "training add “Data with AI” ended:2026-11-20T16:00:00Z topic:data participants:<#C0001|ai-pilot>,<@U0002|bob> "
                + "<mailto:Carol@Example.com|Carol@Example.com> dave@example.com <@U0002|bob>",
            timeZone: berlin)
        guard case .trainingAdd(let request) = command else {
            Issue.record("expected training add, got \(command)")
            return
        }
        #expect(request.title == "Data with AI")
        #expect(request.topic == "data")
        #expect(request.endedAt == ISO8601DateFormatter().date(from: "2026-11-20T16:00:00Z"))
        #expect(
            request.participants == [
                .channel(id: "C0001"), .user(id: "U0002"), .email("carol@example.com"), .email("dave@example.com"),
            ])
    }

    @Test(
        "mistakes are explained",
        arguments: [
            (#"training add ended:2026-11-20T16:00 participants:<#C1|x>"#, "title"),
            (#"training add "T" participants:<#C1|x>"#, "ended"),
            (#"training add "T" ended:yesterday participants:<#C1|x>"#, "ended:yesterday"),
            (#"training add "T" ended:2026-11-20T16:00"#, "participants"),
            (#"training add "T" ended:2026-11-20T16:00 participants:@ai-cohort"#, "@ai-cohort"),
            ("training remove x", "remove"),
            ("launch rockets", "launch"),
        ])
    func mistakes(text: String, mentioned: String) {
        guard case .invalid(let message) = AdminCommand.parse(text, timeZone: berlin) else {
            Issue.record("expected an explanation for \(text)")
            return
        }
        #expect(message.contains(mentioned), "\(message)")
    }

    @Test("help and list")
    func helpAndList() {
        #expect(AdminCommand.parse("", timeZone: berlin) == .help)
        #expect(AdminCommand.parse("help", timeZone: berlin) == .help)
        #expect(AdminCommand.parse("training list", timeZone: berlin) == .trainingList)
    }
}
