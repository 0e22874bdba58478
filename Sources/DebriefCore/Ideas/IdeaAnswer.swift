import Foundation

/// What `/reflect ideas [topic]` came to, for each platform to draw.
public enum IdeaAnswer: Sendable, Equatable {
    /// Examples to show. `topic` is the searched words ("" for the most useful); `fromEarlierWeeks` is true when
    /// nothing was marked this week and the most useful of any week are shown instead.
    case examples([IdeaExample], topic: String, fromEarlierWeeks: Bool)
    /// The topic matched nothing.
    case noMatch(topic: String)
    /// The topic had no word to search for (only punctuation, emoji or single letters).
    case unsearchable
    /// No colleague's example is in the library yet (no topic given).
    case empty
    /// Fewer than k people have agreed to quotes organisation-wide. `missing` is a phrase, not a count.
    case notYet(missing: String, quoteThreshold: Int)
    /// The directory could not be read, so names could not be scrubbed: nothing is shown.
    case withheld
}

/// The sentences of the use-case library, shared by every platform's rendering (markup is the platform's).
public enum IdeaWording {
    public static func heading(topic: String) -> String {
        topic.isEmpty ? "Colleagues' most useful examples this week" : "Colleagues' examples for “\(topic)”"
    }

    public static let earlierWeeks =
        "No example of this week has been marked useful yet, so these are the most useful of earlier weeks."

    public static let privacyNote =
        "Shared by colleagues who agreed to be quoted; names are removed unless the author chose to be named. "
        + "Mark what helped with Useful — only the total is counted, never who."

    public static func noMatch(topic: String) -> String {
        "No colleague's example matches “\(topic)” yet. Try a shorter or more general word (e.g. “email”, "
            + "“report”, “meeting”), or “ideas” with no topic for this week's most useful examples."
    }

    public static let unsearchable =
        "I couldn't find a word to search for in that. Try “ideas email” or “ideas Protokoll”, or “ideas” with "
        + "no topic for this week's most useful examples."

    public static let empty =
        "No colleague has shared an example yet. When you reflect, choose to share your reflection as a quote "
        + "and it can help others here."

    public static func notYet(missing: String, quoteThreshold: Int) -> String {
        "Colleagues' examples are shared only once at least \(quoteThreshold) people have agreed to be quoted, so "
            + "no example stands alone. That needs \(missing) to share. When you reflect, you can choose to share "
            + "yours as a quote."
    }

    public static let withheld =
        "Examples can't be shown right now: the directory could not be read to remove colleagues' names from "
        + "them. Please try again in a few minutes."

    public static let usefulButton = "Useful"
    public static let counted = "Thanks — counted as useful. Only the total is kept, never who marked it."
    public static let alreadyCounted = "You already marked this example as useful; it counts once."
    public static let unavailable = "That example is no longer available (its author removed it or stopped sharing it)."
    public static let notConfigured = "The examples library is not available on this server."

    /// "Drafting · saved time · 16–30 min saved · week 2026-W49 · 3 found this useful · by Dana"
    public static func details(
        _ example: IdeaExample, category: (TaskCategory) -> String, outcome: (Outcome) -> String,
        minutes: (MinutesSaved) -> String
    ) -> String {
        var parts: [String] = []
        if let value = example.taskCategory { parts.append(category(value)) }
        if let value = example.outcome { parts.append(outcome(value)) }
        if let value = example.minutesSaved, value != .none { parts.append("\(minutes(value)) saved") }
        parts.append("week \(example.week)")
        if example.usefulCount > 0 {
            parts.append(
                example.usefulCount == 1 ? "1 colleague found this useful" : "\(example.usefulCount) found this useful")
        }
        if let author = example.author { parts.append("shared by \(author)") }
        return parts.joined(separator: " · ")
    }
}
