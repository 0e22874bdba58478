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
            ReflectCommand.parse("pause until 2028-01-01", today: today) == .invalid(.pauseTooLong(maximumDays: 365)))
    }

    @Test(
        "pause lengths too large for any integer are refused as too long instead of trapping",
        arguments: [
            "9223372036854775807w", "9223372036854775807m", "9223372036854775807d", "9223372036854775807",
            "1317624576693539402w", "4611686018427387904m", "99999999999999999999999999w", "400d", "53w",
        ])
    func hugePauses(length: String) {
        #expect(ReflectCommand.parse("pause \(length)", today: today) == .invalid(.pauseTooLong(maximumDays: 365)))
    }

    @Test(
        "negative and signed pause lengths are not lengths",
        arguments: ["-9223372036854775808w", "-9223372036854775807m", "-9223372036854775808", "-1d", "+3d", "0w"])
    func negativePauses(length: String) {
        #expect(ReflectCommand.parse("pause \(length)", today: today) == .invalid(.pauseNeedsLength(given: length)))
    }

    @Test(
        "pause until an impossible or malformed date says what is wrong with it",
        arguments: [
            ("2026-02-30", "February 2026 has 28 days, so 2026-02-30 does not exist."),
            ("2027-02-29", "February 2027 has 28 days, so 2027-02-29 does not exist."),
            ("2026-13-01", "there is no month 13 (months go from 01 to 12)."),
            ("2026-12-24T10:00", "`T10:00` at the end does not belong to it."),
            ("2026-12-24ZZ", "`ZZ` at the end does not belong to it."),
            ("+202-12-24", "`+202-12-24` is not written that way."),
            ("24.12.2026", "`24.12.2026` is not written that way."),
        ])
    func impossiblePauseDates(date: String, explanation: String) {
        guard
            case .invalid(.invalidDate(let given, let problem)) = ReflectCommand.parse(
                "pause until \(date)", today: today)
        else {
            Issue.record("pause until \(date) was not refused as an invalid date")
            return
        }
        #expect(given == date)
        #expect(problem == "must be a date like 2026-11-20 (YYYY-MM-DD): " + explanation)
    }

    @Test("pause until the last day of a leap February works")
    func leapDay() {
        #expect(
            ReflectCommand.parse("pause until 2027-02-28", today: today)
                == .pause(.until(year: 2027, month: 2, day: 28)))
        #expect(
            ReflectCommand.parse("pause until 2028-02-29", today: (2027, 12, 1))
                == .pause(.until(year: 2028, month: 2, day: 29)))
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
        #expect(
            ReflectCommand.parse("helped me summarise a call", today: today) == .quick("helped me summarise a call"))
    }
}
