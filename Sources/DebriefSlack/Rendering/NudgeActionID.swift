/// The `action_id`s of the buttons on a nudge DM, shared by ``NudgeMessage`` and the server's action
/// handlers.
///
/// Constants rather than literals so a renamed button cannot silently stop reaching its handler. Every
/// button's `value` is the nudge id, so a handler never has to parse the message to know which nudge
/// was answered.
public enum NudgeActionID {
    /// "Reflect (1 min)": open the reflection form for this nudge's training.
    public static let reflect = "nudge_reflect"
    /// "Snooze 1 day": ask again about a day later, in working hours.
    public static let snooze = "nudge_snooze"
    /// "Not this one": skip this stage; later stages still come.
    public static let skip = "nudge_skip"

    /// Every action id a nudge DM renders.
    public static let all: Set<String> = [reflect, snooze, skip]
}

/// The `block_id`s of a nudge DM.
public enum NudgeBlockID {
    /// The row with the three buttons.
    public static let actions = "nudge_actions"
}
