/// Which text of a stage to render: the first nudge or its single reminder.
///
/// An enum rather than a flag so a second reminder cannot be asked for: the evidence (reference
/// `field.md` §4.3) says one reminder lifts answers a lot and more mostly annoys.
public enum NudgeTextKind: String, Sendable, CaseIterable {
    /// The nudge itself, with a rotated wording.
    case primary
    /// The one gentle follow-up when the nudge got no answer.
    case reminder
}
