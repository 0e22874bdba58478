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
            (#"training add "T" ended:yesterday participants:<#C1|x>"#, "`yesterday` is not written that way"),
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

    @Test(
        "impossible dates, bad offsets and trailing garbage in ended: are refused, naming the field and the form",
        arguments: [
            ("2026-02-30T10:00", "February 2026 has 28 days, so 2026-02-30 does not exist."),
            ("2026-02-30T10:00:00Z", "February 2026 has 28 days, so 2026-02-30 does not exist."),
            ("2026-02-29T10:00", "February 2026 has 28 days, so 2026-02-29 does not exist."),
            ("2026-11-31T10:00", "November 2026 has 30 days, so 2026-11-31 does not exist."),
            ("2026-11-20T24:00", "hours go from 00 to 23, not 24."),
            ("2026-11-20T16:60", "minutes go from 00 to 59, not 60."),
            ("2026-11-20T16:00:60Z", "seconds go from 00 to 59, not 60 (leap seconds are not accepted)."),
            ("2026-11-20T16:00:00+25:00", "the offset `+25:00` is beyond ±14:00, the widest any time zone uses."),
            ("2026-11-20T16:00:00+01:60", "the offset `+01:60` has minutes beyond 59."),
            ("2026-11-20T16:00:00+0100", "the offset `+0100` must be written Z or ±HH:MM, such as +01:00."),
            ("2026-11-20T16:00:00ZZ", "`Z` at the end does not belong to it."),
            ("2026-11-20T16:00Zgarbage", "`garbage` at the end does not belong to it."),
            ("9223372036854775807-11-20T16:00", "`9223372036854775807-11-20T16:00` is not written that way."),
        ])
    func impossibleEnded(value: String, explanation: String) {
        let text = #"training add "T" ended:"# + value + " participants:<#C1|x>"
        guard case .invalid(let message) = AdminCommand.parse(text, timeZone: berlin) else {
            Issue.record("ended:\(value) was accepted")
            return
        }
        #expect(
            message == "`ended:` must be a date and time like 2026-11-20T16:00 or 2026-11-20T16:00:00+01:00 "
                + "(seconds, a fraction of a second and Z or an offset up to ±14:00 are optional): " + explanation)
    }

    @Test(
        "valid ended: forms, with and without an offset",
        arguments: [
            ("2026-11-20T16:00", "2026-11-20T15:00:00Z"), ("2026-11-20T16:00:30", "2026-11-20T15:00:30Z"),
            ("2026-11-20T16:00:00+01:00", "2026-11-20T15:00:00Z"), ("2026-11-20T15:00Z", "2026-11-20T15:00:00Z"),
            ("2026-11-20", "2026-11-19T23:00:00Z"), ("2028-02-29T10:00", "2028-02-29T09:00:00Z"),
        ])
    func validEnded(value: String, utc: String) {
        let command = AdminCommand.parse(
            #"training add "T" ended:"# + value + " participants:<#C1|x>", timeZone: berlin)
        guard case .trainingAdd(let request) = command else {
            Issue.record("expected training add, got \(command)")
            return
        }
        #expect(request.endedAt == ISO8601DateFormatter().date(from: utc))
    }

    @Test("help and list")
    func helpAndList() {
        #expect(AdminCommand.parse("", timeZone: berlin) == .help)
        #expect(AdminCommand.parse("help", timeZone: berlin) == .help)
        #expect(AdminCommand.parse("training list", timeZone: berlin) == .trainingList)
    }
}
