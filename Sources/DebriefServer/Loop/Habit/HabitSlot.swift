import DebriefCore

/// Which habit message a `habit.send` job is about; its text is the job's dedupe key after the person.
///
/// A job names a slot, never a decision: the handler re-plans when it runs and sends only what the plan still
/// puts in that slot, so a job queued before an answer, a pause or a stop cannot send something stale.
enum HabitSlot: Sendable, Equatable {
    /// Check whether the person's sequences are done and, once, offer the habit (one trigger per training).
    case offer(trigger: String)
    /// The person's `n`th recurring slot (a recurring prompt or "Should I keep asking?").
    case recurring(Int)
    /// Stop silently if "Should I keep asking?" is still unanswered when slot `n` would be due.
    case stop(Int)
    /// A leader's ask in an ISO week (`2026-W50`).
    case leader(String)

    /// The job's key after `habit:<pseudonym>/`.
    var key: String {
        switch self {
        case .offer(let trigger): "offer/\(trigger)"
        case .recurring(let ordinal): "recurring/\(ordinal)"
        case .stop(let ordinal): "stop/\(ordinal)"
        case .leader(let week): "leader/\(week)"
        }
    }

    /// The slot a sent message is recorded under: one offer per person, ever.
    var recordSlot: String {
        switch self {
        case .offer: "offer"
        default: key
        }
    }

    init?(key: String) {
        guard let slash = key.firstIndex(of: "/") else { return nil }
        let name = key[..<slash]
        let rest = String(key[key.index(after: slash)...])
        switch name {
        case "offer": self = .offer(trigger: rest)
        case "recurring":
            guard let n = Int(rest) else { return nil }
            self = .recurring(n)
        case "stop":
            guard let n = Int(rest) else { return nil }
            self = .stop(n)
        case "leader": self = .leader(rest)
        default: return nil
        }
    }
}
