/// Which send of a stage a nudge is.
///
/// A stage starts with one primary send. It may get one follow-up: an automatic reminder when the person did
/// not react at all, or — when they pressed "Snooze 1 day" — the snoozed nudge coming back. Prompts word them
/// differently and metrics count them apart.
public enum NudgeKind: String, Sendable, Hashable, Codable, CaseIterable {
    case primary
    case reminder
    case snoozed
}
