import DebriefCore
import Foundation
import Yams

/// The words of the habit's messages on one platform (`prompts/slack/habit.yaml`, `prompts/teams/habit.yaml`):
/// the one-time offer, the recurring prompt, "Should I keep asking?", the leaders' weekly ask, their buttons,
/// and the short lines that replace the buttons once pressed.
///
/// Why per platform: Slack writes `code` and *bold* in mrkdwn, Teams in its own markdown subset, and a
/// sentence that names `/reflect` reads differently where the command is typed to the bot.
public struct HabitTexts: Sendable, Equatable {
    /// Every key of the file, in the order the file documents them.
    public static let keys = [
        "offer", "yes_button", "no_thanks_button", "accepted", "declined",
        "recurring", "reflect_button", "not_now_button", "stop_button", "not_now_done", "stopped",
        "keep_asking", "keep_button", "less_often_button", "kept", "less_often_done",
        "leader_ask", "leader_reflect_button", "leader_stopped",
        "every_week", "every_other_week", "every_weeks", "every_days",
    ]

    /// Texts by key (every key of ``keys`` is present once loaded).
    public var byKey: [String: String]

    public init(byKey: [String: String]) { self.byKey = byKey }

    /// The text of `key` with `{interval}` filled in (`every other week`, `every 3 weeks`, `every 10 days`).
    public func text(_ key: String, intervalDays: Int) -> String {
        PromptTemplate.render(byKey[key] ?? "", ["interval": interval(intervalDays)])
    }

    /// How an interval reads: whole weeks as weeks, otherwise days.
    public func interval(_ days: Int) -> String {
        if days == 7 { return byKey["every_week"] ?? "" }
        if days == 14 { return byKey["every_other_week"] ?? "" }
        if days % 7 == 0 { return PromptTemplate.render(byKey["every_weeks"] ?? "", ["count": String(days / 7)]) }
        return PromptTemplate.render(byKey["every_days"] ?? "", ["count": String(days)])
    }

    /// The label of the button that gives `answer` to a message of `kind`.
    public func label(_ answer: HabitAnswer, for kind: HabitPromptKind) -> String {
        let key =
            switch answer {
            case .yes: "yes_button"
            case .noThanks: "no_thanks_button"
            case .reflect: kind == .leaderAsk ? "leader_reflect_button" : "reflect_button"
            case .notNow: "not_now_button"
            case .keep: "keep_button"
            case .lessOften: "less_often_button"
            case .stop: "stop_button"
            }
        return byKey[key] ?? ""
    }

    /// The file of each platform, under `prompts/`.
    public static func file(for platform: Platform) -> String { "\(platform.rawValue)/habit.yaml" }

    /// Longest text a habit message or button may have (a phone notification's worth; Slack's button limit).
    static let textLimit = 600
    static let buttonLimit = 75

    /// Loads and checks both platforms' files; any problem stops the start with its file, line and key.
    public static func loadAll(from directory: URL) throws(PromptError) -> [Platform: HabitTexts] {
        var result: [Platform: HabitTexts] = [:]
        var issues: [PromptIssue] = []
        for platform in Platform.allCases {
            let reader = PromptFileReader(
                file: file(for: platform), platform: platform == .slack ? "Slack" : "Teams")
            let root = reader.open(directory: directory)
            if let root { reader.checkKeys(root, path: nil, allowed: keys) }
            var byKey: [String: String] = [:]
            for key in keys {
                let isButton = key.hasSuffix("_button")
                let placeholders: Set<String> = key.hasPrefix("every_") ? ["count"] : ["interval"]
                byKey[key] = reader.text(
                    root, key, path: nil, limit: isButton ? buttonLimit : textLimit, placeholders: placeholders)
            }
            issues += reader.issues
            result[platform] = HabitTexts(byKey: byKey)
        }
        guard issues.isEmpty else { throw PromptError(issues: issues) }
        return result
    }
}
