import Foundation

/// What a person asked for with `/reflect ...`, parsed from the text after the command.
///
/// Parsing is pure so every platform's slash command or chat message maps to the same intent.
public enum ReflectCommand: Sendable, Equatable {
    /// `/reflect` alone: open the reflection form.
    case openForm
    /// `/reflect <text>`: store a quick reflection now.
    case quick(String)
    case help
    case mine
    case forget
    case pause(PauseLength)
    case resume
    case stop
    /// `/reflect privacy`: the privacy receipt — what this week's digest shows about the person's group.
    case privacy
    /// `/reflect ideas [topic]`: colleagues' consented examples matching the topic (empty: the most useful).
    /// The topic is kept as typed; ``IdeaSearchTerms`` makes it safe to search.
    case ideas(String)
    /// A recognised subcommand with a bad argument, or an unknown one that looks like a command.
    case invalid(ReflectCommandProblem)
}

public enum PauseLength: Sendable, Equatable {
    case days(Int)
    case until(year: Int, month: Int, day: Int)
}

public enum ReflectCommandProblem: Sendable, Equatable {
    case pauseNeedsLength(given: String)
    case pauseTooLong(maximumDays: Int)
    case dateInPast(String)
    /// `pause until` with something that is not a real date; `problem` is ``DateTimeInputError/reason``
    /// ("must be a date like 2026-11-20 (YYYY-MM-DD): February 2026 has 28 days, so …"), worded as the admin
    /// API and the configuration word it.
    case invalidDate(given: String, problem: String)
    case unexpectedArgument(subcommand: String, given: String)
}

extension ReflectCommand {
    /// The longest pause we accept; beyond that `/reflect stop` is the honest choice.
    public static let maximumPauseDays = 365

    private static let subcommands: Set<String> = [
        "help", "mine", "forget", "pause", "resume", "stop", "privacy", "ideas",
    ]

    /// Parses the text a person typed after `/reflect`.
    ///
    /// A first word that is a known subcommand is a command; anything else is a quick reflection, so
    /// "mine was a great week" is not mistaken for `mine` only when it has no extra words.
    /// - Parameter today: the caller's current calendar date, to reject `pause until` a past date; evaluated only
    ///   for `pause until` (a calendar in the organisation's zone is not free, and almost every `/reflect` is a
    ///   quick reflection).
    public static func parse(_ text: String, today: @autoclosure () -> (year: Int, month: Int, day: Int))
        -> ReflectCommand
    {
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty { return .openForm }
        // Most commands are reflections: look at the first word alone before splitting the whole text (splitting
        // a reflection of a few hundred characters into words was 1% of a /reflect's CPU).
        guard let firstWord = trimmed.split(maxSplits: 1, whereSeparator: \.isWhitespace).first,
            subcommands.contains(firstWord.lowercased())
        else { return .quick(trimmed) }
        let words = trimmed.split(whereSeparator: \.isWhitespace).map(String.init)
        let first = words[0].lowercased()
        let rest = words.dropFirst().joined(separator: " ")
        switch first {
        case "ideas":
            return .ideas(rest)
        case "pause":
            return parsePause(Array(words.dropFirst()), today: today())
        case "help", "mine", "forget", "resume", "stop", "privacy":
            guard rest.isEmpty else {
                // "stop using chatgpt for email, it hallucinated" is a reflection, not a command.
                if words.count > 2 { return .quick(trimmed) }
                return .invalid(.unexpectedArgument(subcommand: first, given: rest))
            }
            switch first {
            case "help": return .help
            case "mine": return .mine
            case "forget": return .forget
            case "resume": return .resume
            case "privacy": return .privacy
            default: return .stop
            }
        default:
            return .quick(trimmed)
        }
    }

    private static func parsePause(_ args: [String], today: (year: Int, month: Int, day: Int)) -> ReflectCommand {
        let given = args.joined(separator: " ")
        if args.count == 1 {
            do {
                return .pause(.days(try DayDuration.parse(args[0], maximumDays: maximumPauseDays)))
            } catch .tooLong(let maximumDays) {
                return .invalid(.pauseTooLong(maximumDays: maximumDays))
            } catch {
                return .invalid(.pauseNeedsLength(given: given))
            }
        }
        if args.count == 2, args[0].lowercased() == "until" {
            let date: LocalDate
            do {
                date = try DateTimeInput.date(args[1])
            } catch {
                return .invalid(.invalidDate(given: args[1], problem: error.reason))
            }
            // `today` comes from the caller's calendar; should it be impossible, the date is refused as past.
            let todayDate = LocalDate(year: today.year, month: today.month, day: today.day) ?? date
            if date <= todayDate { return .invalid(.dateInPast(args[1])) }
            if todayDate.days(until: date) > maximumPauseDays {
                return .invalid(.pauseTooLong(maximumDays: maximumPauseDays))
            }
            return .pause(.until(year: date.year, month: date.month, day: date.day))
        }
        return .invalid(.pauseNeedsLength(given: given))
    }
}
