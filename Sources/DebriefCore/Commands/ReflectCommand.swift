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
    case unexpectedArgument(subcommand: String, given: String)
}

extension ReflectCommand {
    /// The longest pause we accept; beyond that `/reflect stop` is the honest choice.
    public static let maximumPauseDays = 365

    private static let subcommands: Set<String> = ["help", "mine", "forget", "pause", "resume", "stop", "privacy"]

    /// Parses the text a person typed after `/reflect`.
    ///
    /// A first word that is a known subcommand is a command; anything else is a quick reflection, so
    /// "mine was a great week" is not mistaken for `mine` only when it has no extra words.
    /// - Parameter today: the caller's current calendar date, to reject `pause until` a past date.
    public static func parse(_ text: String, today: (year: Int, month: Int, day: Int)) -> ReflectCommand {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .openForm }
        let words = trimmed.split(whereSeparator: \.isWhitespace).map(String.init)
        let first = words[0].lowercased()
        guard subcommands.contains(first) else { return .quick(trimmed) }
        let rest = words.dropFirst().joined(separator: " ")
        switch first {
        case "pause":
            return parsePause(Array(words.dropFirst()), today: today)
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
        if args.count == 1, let days = parseDuration(args[0].lowercased()) {
            guard days >= 1 else { return .invalid(.pauseNeedsLength(given: given)) }
            guard days <= maximumPauseDays else { return .invalid(.pauseTooLong(maximumDays: maximumPauseDays)) }
            return .pause(.days(days))
        }
        if args.count == 2, args[0].lowercased() == "until", let date = parseDate(args[1]) {
            if (date.year, date.month, date.day) <= today { return .invalid(.dateInPast(args[1])) }
            let todayOrdinal = ordinalDay(today.year, today.month, today.day)
            if ordinalDay(date.year, date.month, date.day) - todayOrdinal > maximumPauseDays {
                return .invalid(.pauseTooLong(maximumDays: maximumPauseDays))
            }
            return .pause(.until(year: date.year, month: date.month, day: date.day))
        }
        return .invalid(.pauseNeedsLength(given: given))
    }

    /// `3d`, `2w`, `1m` (30 days), or a bare number of days.
    static func parseDuration(_ word: String) -> Int? {
        if let days = Int(word) { return days }
        guard let unit = word.last, let count = Int(word.dropLast()) else { return nil }
        switch unit {
        case "d": return count
        case "w": return count * 7
        case "m": return count * 30
        default: return nil
        }
    }

    /// A strict `YYYY-MM-DD` calendar date.
    static func parseDate(_ word: String) -> (year: Int, month: Int, day: Int)? {
        let parts = word.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1, day <= daysInMonth(year, month)
        else { return nil }
        return (year, month, day)
    }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since a fixed epoch (proleptic Gregorian), for date arithmetic without a Calendar.
    static func ordinalDay(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe
    }
}
