import DebriefCore
import DebriefSlack
import Foundation

extension FuzzTarget {
    /// `/reflect <text>`: the text after the slash command, as anyone in the workspace types it.
    static let reflectCommand = FuzzTarget(
        name: "reflect-command",
        summary: "ReflectCommand.parse on /reflect text, then the reply the server renders for it"
    ) { input in
        let text = input.text
        // Ordinary days and the edges of the calendar `today` can be on.
        let days = [(2026, 11, 20), (2028, 2, 29), (9999, 12, 31), (1, 1, 1)]
        for today in days {
            let command = ReflectCommand.parse(text, today: today)
            check(command, today: today)
            render(command)
        }
    }

    private static func check(_ command: ReflectCommand, today: (year: Int, month: Int, day: Int)) {
        switch command {
        case .quick(let text):
            FuzzExpect.that(!text.isEmpty, "a quick reflection is never empty")
            FuzzExpect.that(
                text == text.trimmingCharacters(in: .whitespacesAndNewlines), "a quick reflection is trimmed")
            _ = ReflectionDraft(text: text).validate()
        case .pause(.days(let days)):
            FuzzExpect.that(
                (1...ReflectCommand.maximumPauseDays).contains(days), "a pause lasts 1…365 days, not \(days)")
        case .pause(.until(let year, let month, let day)):
            guard let date = LocalDate(year: year, month: month, day: day),
                let todayDate = LocalDate(year: today.year, month: today.month, day: today.day)
            else {
                FuzzExpect.that(false, "pause until names a real day after a real today")
                return
            }
            FuzzExpect.that(todayDate < date, "pause until is after today")
            FuzzExpect.that(
                todayDate.days(until: date) <= ReflectCommand.maximumPauseDays, "pause until is within 365 days")
        default:
            break
        }
    }

    /// What `SlackEndpoint.handleSlashCommand` answers without touching the store.
    private static func render(_ command: ReflectCommand) {
        guard let prompts = FuzzPrompts.library else { return }
        switch command {
        case .invalid(let problem):
            _ = SlackReplies.help(prompts: prompts, problem: problem).encoded()
        case .quick(let text):
            switch ReflectionDraft(text: text).validate() {
            case .success(let fields):
                _ = SlackReplies.quickStored(prompts: prompts, reflectionID: "r-fuzz", text: fields.text).encoded()
            case .failure(let errors):
                _ = SlackReplies.invalidQuickReflection(prompts: prompts, errors: errors).encoded()
            }
        default:
            _ = SlackReplies.help(prompts: prompts, problem: nil)
        }
    }
}
