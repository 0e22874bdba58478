import DebriefCore
import DebriefPrompts
import DebriefStore
import Foundation
import Metrics

/// What pressing a habit button does, the same on every platform: the answer is recorded (the first one wins),
/// the habit changes (yes, no thanks, keep, less often, stop), the next prompt is queued, and the platform is
/// told what to show: a short note in place of the buttons, or the reflection form.
struct HabitAnswers: Sendable {
    let habits: HabitScheduler
    let reflections: ReflectionService
    let now: @Sendable () -> Date
    let wakeWorker: @Sendable () -> Void

    /// What the platform shows after a click.
    enum Reply: Sendable, Equatable {
        /// Replace the message's buttons with this note (in the platform's markup).
        case note(String)
        /// Open the normal reflection form.
        case openForm
        /// The message is not the person's, or no longer answerable.
        case outdated
    }

    /// Applies `answer` to the habit message `promptID`, only if it was sent to `user` and offers that answer.
    func answer(_ answer: HabitAnswer, to promptID: String, by user: PlatformUser) async throws -> Reply {
        let person = reflections.pseudonym(of: user)
        guard let (owner, record) = try await habits.store.habitPrompt(id: promptID), owner == person,
            HabitAnswer.allowed(for: record.kind).contains(answer), let texts = habits.texts[user.platform]
        else { return .outdated }
        let now = now()
        let first = try await habits.store.answerHabitPrompt(id: promptID, answer: answer, at: now)
        if first { HabitMetrics().answered(answer).increment() }
        // A second click (or a second replica) changes nothing more: it only shows the same reply again.
        var state =
            try await habits.store.habit(of: person)
            ?? HabitState(status: .declined, intervalDays: habits.intervalDays, since: now)
        let interval = state.intervalDays
        switch answer {
        case .reflect:
            return .openForm
        case .notNow:
            return .note(texts.text("not_now_done", intervalDays: interval))
        case .yes:
            if first {
                state = HabitState(
                    status: .active, intervalDays: habits.intervalDays, since: now,
                    leaderAsksStopped: state.leaderAsksStopped)
                try await save(state, of: person, user: user, now: now)
            }
            return .note(texts.text("accepted", intervalDays: state.intervalDays))
        case .noThanks:
            if first {
                state.status = .declined
                state.since = now
                try await habits.store.setHabit(state, of: person)
            }
            return .note(texts.text("declined", intervalDays: interval))
        case .keep:
            if first, state.status == .active {
                state.since = now
                try await save(state, of: person, user: user, now: now)
            }
            return .note(texts.text("kept", intervalDays: state.intervalDays))
        case .lessOften:
            if first, state.status == .active {
                state.intervalDays = HabitInterval.doubled(state.intervalDays)
                state.since = now
                try await save(state, of: person, user: user, now: now)
            }
            return .note(texts.text("less_often_done", intervalDays: state.intervalDays))
        case .stop:
            if record.kind == .leaderAsk {
                state.leaderAsksStopped = true
                try await habits.store.setHabit(state, of: person)
                _ = try await habits.store.cancelJobs(dedupeKeyPrefix: HabitJobKey.key(person, slot: "leader/"))
                return .note(texts.text("leader_stopped", intervalDays: interval))
            }
            if state.status == .active {
                state.status = .stopped
                state.since = now
                try await habits.store.setHabit(state, of: person)
            }
            _ = try await habits.store.cancelJobs(dedupeKeyPrefix: HabitJobKey.key(person, slot: "recurring/"))
            _ = try await habits.store.cancelJobs(dedupeKeyPrefix: HabitJobKey.key(person, slot: "stop/"))
            return .note(texts.text("stopped", intervalDays: interval))
        }
    }

    /// A submitted form answers the person's open habit prompt (``HabitPromptKind/answerWhenReflected``), so it
    /// does not count as ignored. A quick `/reflect …` does the same inside its own write
    /// (``ReflectionStore/recordReflection(_:from:)``).
    func reflected(by user: PlatformUser) async {
        let person = reflections.pseudonym(of: user)
        guard let open = try? await habits.store.habitPrompts(of: person).last(where: { $0.answer == nil }),
            let answer = open.kind.answerWhenReflected
        else { return }
        _ = try? await habits.store.answerHabitPrompt(id: open.id, answer: answer, at: now())
    }

    private func save(_ state: HabitState, of person: Pseudonym, user: PlatformUser, now: Date) async throws {
        try await habits.store.setHabit(state, of: person)
        try await habits.enqueueNext(person, platform: user.platform, workspace: user.workspace, now: now)
        wakeWorker()
    }
}

extension TrainingFeatures {
    /// The habit's buttons for a platform's handlers; nil when the habit is not available.
    func habitAnswers(reflections: ReflectionService, now: @escaping @Sendable () -> Date) -> HabitAnswers? {
        habits.map { HabitAnswers(habits: $0, reflections: reflections, now: now, wakeWorker: wakeWorker) }
    }
}
