import DebriefCore
import DebriefPrompts
import DebriefStore
import Foundation

extension ReflectCommandRunner {
    /// Adds the person's habit to their export and returns the line `/reflect mine` shows for it (nil when they
    /// were never offered the habit).
    func habitSummary(of user: PlatformUser, into export: inout PersonExport) async throws -> String? {
        guard let habits = trainings?.habits else { return nil }
        let person = reflections.pseudonym(of: user)
        guard let state = try await habits.store.habit(of: person) else { return nil }
        let messages = try await habits.store.habitPrompts(of: person)
        var next: Date?
        if let inputs = try await habits.inputs(of: person, now: now()),
            case .send(_, let at, _) = habits.nextStep(inputs, now: now())
        {
            next = at
        }
        export.habit = HabitExport(state: state, nextPromptAt: next, messages: messages)
        let interval = habits.texts[user.platform]?.interval(state.intervalDays) ?? "every \(state.intervalDays) days"
        switch state.status {
        case .offered: return "Recurring prompt: offered, no answer yet"
        case .declined: return "Recurring prompt: off (you said no thanks)"
        case .stopped: return "Recurring prompt: stopped"
        case .active:
            let zone = await personalZone(of: user)
            let when = next.map { ", next around \(PersonDates.human($0, in: zone))" } ?? ""
            let paused = export.preferences.stopped ? " (nudges are stopped)" : ""
            return "Recurring prompt: on, \(interval)\(when)\(paused)"
        }
    }
}
