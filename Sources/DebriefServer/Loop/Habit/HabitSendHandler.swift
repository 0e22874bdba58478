import DebriefCore
import DebriefHTTP
import DebriefPlatform
import DebriefPrompts
import DebriefStore
import Foundation
import Logging
import Metrics

/// Runs `habit.send` jobs: re-plans the person and sends the habit message only if the plan still puts it in
/// the job's slot now (the nudges' rule), or ends the habit silently when "Should I keep asking?" went
/// unanswered.
///
/// Exactly once across replicas: the job's dedupe key makes one job per slot, a claimed job runs on one
/// replica, and the message is recorded under its slot (unique per person), so a repeat after a crash finds
/// the slot filled and sends nothing more.
/// - Important: neither the address nor the text is logged.
struct HabitSendHandler: JobHandler {
    let habits: HabitScheduler
    let platforms: ChatPlatforms
    let limiter: BucketRateLimiter
    let now: @Sendable () -> Date
    let makeID: @Sendable () -> String
    let wakeWorker: @Sendable () -> Void
    let logger: Logger
    let metrics = HabitMetrics()

    func run(_ job: Job) async throws -> JobOutcome {
        let parameters = try job.decodeParameters(HabitScheduler.Parameters.self)
        guard let slot = HabitSlot(key: parameters.slot) else {
            return .failedPermanently(error: "unknown habit slot")
        }
        let person = Pseudonym(rawValue: parameters.person)
        let now = now()
        // Erased people have no inputs; a stopped person's plan is empty.
        guard let inputs = try await habits.inputs(of: person, now: now) else { return .done }
        switch slot {
        case .offer:
            guard inputs.state == nil,
                let doneAt = HabitPlanner.sequenceDone(
                    plannedNudges: inputs.plannedNudges, lastSend: inputs.lastNudge),
                let at = HabitPlanner.offerTime(
                    person: inputs.calendar, rules: habits.rules, busy: inputs.busy, doneAt: doneAt, now: now)
            else { return .done }
            if let wait = wait(until: at, now: now) { return wait }
            let outcome = try await send(.offer, slot: slot, to: person, parameters)
            if case .done = outcome {
                try await habits.store.setHabit(
                    HabitState(status: .offered, intervalDays: habits.intervalDays, since: now), of: person)
            }
            return outcome
        case .recurring(let ordinal):
            guard case .send(let kind, let at, ordinal) = habits.nextStep(inputs, now: now) else { return .done }
            if let wait = wait(until: at, now: now) { return wait }
            let outcome = try await send(kind, slot: slot, to: person, parameters)
            if case .done = outcome {
                try await habits.enqueueNext(
                    person, platform: parameters.platform, workspace: parameters.workspace, now: now)
                wakeWorker()
            }
            return outcome
        case .stop(let ordinal):
            guard case .stop(let at, ordinal) = habits.nextStep(inputs, now: now), var state = inputs.state else {
                return .done
            }
            if at > now { return .rescheduled(at: at) }
            state.status = .stopped
            state.since = now
            try await habits.store.setHabit(state, of: person)
            metrics.stoppedSilently.increment()
            return .done
        case .leader(let week):
            guard let ask = habits.leaderAsk(inputs, now: now) else { return .done }
            guard ask.week.description == week else {
                // Moved to another week (a pause, a full Monday): queue that one instead.
                try await habits.enqueueNext(
                    person, platform: parameters.platform, workspace: parameters.workspace, now: now)
                return .done
            }
            if let wait = wait(until: ask.at, now: now) { return wait }
            let outcome = try await send(.leaderAsk, slot: slot, to: person, parameters)
            if case .done = outcome {
                // The next week's ask: planned from just after this one, so this week is not found again.
                try await habits.enqueueNext(
                    person, platform: parameters.platform, workspace: parameters.workspace,
                    now: now.addingTimeInterval(60))
            }
            return outcome
        }
    }

    /// A send this far before its planned instant waits instead (clock jitter, early polls).
    static let earlyTolerance: TimeInterval = 60

    private func wait(until at: Date, now: Date) -> JobOutcome? {
        at.timeIntervalSince(now) > Self.earlyTolerance ? .rescheduled(at: at) : nil
    }

    /// Sends one habit message through the person's platform and records it under its slot.
    private func send(
        _ kind: HabitPromptKind, slot: HabitSlot, to person: Pseudonym, _ parameters: HabitScheduler.Parameters
    ) async throws -> JobOutcome {
        guard try await !habits.store.hasHabitPrompt(slot: slot.recordSlot, of: person) else { return .done }
        guard let platform = platforms[parameters.platform], let texts = habits.texts[parameters.platform] else {
            return .retry(error: "\(parameters.platform.displayName) is not configured on this server")
        }
        guard let address = try await habits.store.deliveryAddress(of: person, platform: parameters.platform) else {
            return .done
        }
        let interval = (try await habits.store.habit(of: person))?.intervalDays ?? habits.intervalDays
        let id = makeID()
        let delivery = HabitDelivery(
            promptID: id, kind: kind, text: texts.text(Self.textKey(kind), intervalDays: interval),
            choices: HabitAnswer.allowed(for: kind).map { HabitChoice(answer: $0, label: texts.label($0, for: kind)) })
        let bucket = "\(parameters.platform.rawValue):\(address.workspace)"
        try await limiter.acquire(bucket)
        do {
            _ = try await platform.sendHabitMessage(delivery, to: address)
        } catch {
            return await outcome(of: error, bucket: bucket)
        }
        // A crash between the post and this record repeats at most this one message (at-least-once).
        _ = try await habits.store.recordHabitPrompt(
            HabitPromptRecord(id: id, slot: slot.recordSlot, kind: kind, sentAt: now()), of: person)
        metrics.sent(kind).increment()
        return .done
    }

    static func textKey(_ kind: HabitPromptKind) -> String {
        switch kind {
        case .offer: "offer"
        case .recurring: "recurring"
        case .keepAsking: "keep_asking"
        case .leaderAsk: "leader_ask"
        }
    }

    private func outcome(of error: ChatPlatformError, bucket: String) async -> JobOutcome {
        switch error {
        case .rateLimited(let retryAfter):
            let wait = retryAfter ?? .seconds(30)
            await limiter.pause(bucket, for: wait)
            return .rescheduled(at: now().addingTimeInterval(Double(wait.components.seconds) + 1))
        case .refused(let code):
            return .failedPermanently(error: "habit message refused: \(code)")
        case .cancelled:
            return .retry(error: "habit message cancelled")
        case .unavailable(let code):
            return .retry(error: "habit message: \(code)")
        }
    }
}

/// Habit counters with bounded labels; nothing per person.
struct HabitMetrics: Sendable {
    let stoppedSilently = Counter(label: "debrief_habit_stopped_silently_total")

    func sent(_ kind: HabitPromptKind) -> Counter {
        Counter(label: "debrief_habit_messages_sent_total", dimensions: [("kind", kind.rawValue)])
    }

    func answered(_ answer: HabitAnswer) -> Counter {
        Counter(label: "debrief_habit_answers_total", dimensions: [("answer", answer.rawValue)])
    }
}
