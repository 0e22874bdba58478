import DebriefCore
import Testing

@Suite("Parsing /reflect text")
struct ReflectCommandTests {
    let today = (year: 2026, month: 11, day: 23)

    @Test("bare /reflect opens the form, whitespace included")
    func bareCommandOpensForm() {
        #expect(ReflectCommand.parse("", today: today) == .openForm)
        #expect(ReflectCommand.parse("   \n", today: today) == .openForm)
    }

    @Test(
        "subcommands are recognised case-insensitively",
        arguments: [
            ("help", ReflectCommand.help), ("HELP", .help), ("mine", .mine), ("forget", .forget),
            ("resume", .resume), ("stop", .stop), (" Stop ", .stop), ("privacy", .privacy),
        ])
    func subcommands(text: String, expected: ReflectCommand) {
        #expect(ReflectCommand.parse(text, today: today) == expected)
    }

    @Test(
        "pause durations",
        arguments: [("pause 2w", 14), ("pause 3d", 3), ("pause 10", 10), ("pause 1m", 30), ("pause 52w", 364)])
    func pauseDurations(text: String, days: Int) {
        #expect(ReflectCommand.parse(text, today: today) == .pause(.days(days)))
    }

    @Test("pause until a date")
    func pauseUntil() {
        #expect(
            ReflectCommand.parse("pause until 2026-12-24", today: today)
                == .pause(.until(year: 2026, month: 12, day: 24)))
    }

    @Test("bad pause arguments name the problem")
    func badPause() {
        #expect(ReflectCommand.parse("pause", today: today) == .invalid(.pauseNeedsLength(given: "")))
        #expect(ReflectCommand.parse("pause soon", today: today) == .invalid(.pauseNeedsLength(given: "soon")))
        #expect(ReflectCommand.parse("pause 0d", today: today) == .invalid(.pauseNeedsLength(given: "0d")))
        #expect(ReflectCommand.parse("pause 2y", today: today) == .invalid(.pauseNeedsLength(given: "2y")))
        #expect(ReflectCommand.parse("pause 400d", today: today) == .invalid(.pauseTooLong(maximumDays: 365)))
        #expect(
            ReflectCommand.parse("pause until 2026-11-23", today: today) == .invalid(.dateInPast("2026-11-23")))
        #expect(
            ReflectCommand.parse("pause until 2026-02-30", today: today)
                == .invalid(.pauseNeedsLength(given: "until 2026-02-30")))
        #expect(
            ReflectCommand.parse("pause until 2028-01-01", today: today) == .invalid(.pauseTooLong(maximumDays: 365)))
    }

    @Test("a subcommand with one stray word is an error, a sentence is a reflection")
    func subcommandWithArguments() {
        #expect(
            ReflectCommand.parse("forget me", today: today)
                == .invalid(.unexpectedArgument(subcommand: "forget", given: "me")))
        #expect(
            ReflectCommand.parse("stop using chatgpt for email drafts", today: today)
                == .quick("stop using chatgpt for email drafts"))
    }

    @Test("anything else is a quick reflection, trimmed")
    func quickReflection() {
        #expect(
            ReflectCommand.parse("  used AI to draft a spec  ", today: today) == .quick("used AI to draft a spec"))
        #expect(ReflectCommand.parse("helped me summarise a call", today: today) == .quick("helped me summarise a call"))
    }
}
