import Foundation

/// Where a person stands with the light recurring prompt that keeps the habit after a training's nudges end.
///
/// Why a status and not a counter: the habit is a choice the person made (or declined) once, and the adaptive
/// stop is decided from the prompts themselves (``HabitPlanner``), so nothing here counts activity.
/// - Important: no streaks, scores or rankings: nothing here says how *often* someone reflected.
public enum HabitStatus: String, Sendable, Codable, CaseIterable {
    /// Asked once whether they want the recurring prompt; no answer yet.
    case offered
    /// Said "No thanks" to the offer: never asked again.
    case declined
    /// Gets a recurring prompt every ``HabitState/intervalDays``.
    case active
    /// Chose "Stop", or did not answer "Should I keep asking?": no more recurring prompts.
    case stopped
}

/// The kinds of direct message the habit sends.
public enum HabitPromptKind: String, Sendable, Codable, CaseIterable {
    /// "Want a light prompt every other week?" — asked once, after the last training's sequence ended.
    case offer
    /// The recurring reflection prompt.
    case recurring
    /// "Should I keep asking?" after two recurring prompts were ignored in a row.
    case keepAsking = "keep_asking"
    /// A leader is asked, first thing in their week, to share one thing they tried with AI.
    case leaderAsk = "leader_ask"
}

/// The buttons of the habit's messages, as stored when pressed.
extension HabitPromptKind {
    /// What a reflection the person wrote on their own (`/reflect …`, the form) answers, when this is their
    /// latest unanswered prompt, so the prompt does not count as ignored. The offer is not answered by a
    /// reflection: it asks for a choice.
    public var answerWhenReflected: HabitAnswer? {
        switch self {
        case .offer: nil
        case .keepAsking: .keep
        case .recurring, .leaderAsk: .reflect
        }
    }
}

public enum HabitAnswer: String, Sendable, Codable, CaseIterable {
    /// Offer: yes, please.
    case yes
    /// Offer: no thanks.
    case noThanks = "no_thanks"
    /// Recurring prompt or leader ask: opened the form (or wrote a quick reflection).
    case reflect
    /// Recurring prompt or leader ask: not this time (answered, so it is not "ignored").
    case notNow = "not_now"
    /// "Should I keep asking?": keep the interval.
    case keep
    /// "Should I keep asking?": double the interval.
    case lessOften = "less_often"
    /// Any habit message: stop the recurring prompt (or, on a leader ask, the leader asks).
    case stop

    /// The answers a message of `kind` offers; any other answer to it is refused.
    public static func allowed(for kind: HabitPromptKind) -> [HabitAnswer] {
        switch kind {
        case .offer: [.yes, .noThanks]
        case .recurring: [.reflect, .notNow, .stop]
        case .keepAsking: [.keep, .lessOften, .stop]
        case .leaderAsk: [.reflect, .notNow, .stop]
        }
    }
}

/// One habit message sent to a person, and how they answered it.
public struct HabitPromptRecord: Sendable, Equatable, Codable {
    /// Unique per person and slot (the job's dedupe key), so a repeated send after a crash records once.
    /// A random id: what the message's buttons carry (never the pseudonym).
    public var id: String
    /// The slot this message fills (`offer`, `recurring/3`, `leader/2026-W50`): at most one message per person
    /// and slot, so a send repeated after a crash, or by a second replica, records nothing new.
    public var slot: String
    public var kind: HabitPromptKind
    public var sentAt: Date
    public var answer: HabitAnswer?
    public var answeredAt: Date?

    public init(
        id: String, slot: String, kind: HabitPromptKind, sentAt: Date, answer: HabitAnswer? = nil,
        answeredAt: Date? = nil
    ) {
        self.id = id
        self.slot = slot
        self.kind = kind
        self.sentAt = sentAt
        self.answer = answer
        self.answeredAt = answeredAt
    }
}

/// A person's habit settings: what `/reflect mine` shows and `/reflect forget` erases.
///
/// - Important: keyed by pseudonym only.
public struct HabitState: Sendable, Equatable, Codable {
    public var status: HabitStatus
    /// Days between recurring prompts (doubled by "Less often").
    public var intervalDays: Int
    /// When the status last changed (the offer sent, the "Yes", the stop); the first recurring prompt is
    /// due ``intervalDays`` after the "Yes".
    public var since: Date
    /// A leader chose "Stop" on the weekly leader ask.
    public var leaderAsksStopped: Bool

    public init(status: HabitStatus, intervalDays: Int, since: Date, leaderAsksStopped: Bool = false) {
        self.status = status
        self.intervalDays = intervalDays
        self.since = since
        self.leaderAsksStopped = leaderAsksStopped
    }

    /// The longest interval "Less often" can reach: a prompt at least once a quarter-year or so, never an
    /// interval that overflows or that nobody would recognise as a habit.
    public static let maximumIntervalDays = 182
}
