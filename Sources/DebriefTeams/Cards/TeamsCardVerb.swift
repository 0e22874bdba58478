/// The `verb`s of Debrief's card buttons, shared by the renderers and ``TeamsCardAction``.
///
/// Constants rather than literals so a renamed button cannot silently stop reaching its handler. Raw values
/// are what old cards in people's chats still send: never rename one that shipped.
public enum TeamsCardVerb: String, CaseIterable, Sendable {
    /// "Reflect (1 min)" on a nudge: the nudge card is replaced by the form. Data: ``TeamsCardData/nudgeID``.
    case reflect = "nudge.reflect"
    /// "Snooze 1 day" on a nudge. Data: ``TeamsCardData/nudgeID``.
    case snooze = "nudge.snooze"
    /// "Not this one" on a nudge. Data: ``TeamsCardData/nudgeID``.
    case skip = "nudge.skip"
    /// "Add details" under a quick reflection (data: ``TeamsCardData/reflectionID``) or "Write a
    /// reflection" on the welcome card (no data): show the form.
    case openForm = "reflection.open"
    /// "Save" on the form; data: optional ``TeamsCardData/nudgeID`` and ``TeamsCardData/reflectionID``,
    /// merged with the form's inputs.
    case submitReflection = "reflection.submit"
    /// "Yes, delete everything" under the `forget` question.
    case confirmForget = "forget.confirm"
    /// "No, keep it" under the `forget` question.
    case cancelForget = "forget.cancel"
    /// "Useful" under a colleague's example (`ideas`). Data: ``TeamsCardData/reflectionID``.
    case ideaUseful = "idea.useful"
    /// A button of a habit message (offer, recurring prompt, "Should I keep asking?", leader ask). Data:
    /// ``TeamsCardData/habitID`` and ``TeamsCardData/habitAnswer``.
    case habitAnswer = "habit.answer"
    /// "Respond" on the leadership digest card in a channel: the form goes to the clicker's own chat.
    /// Data: ``TeamsCardData/digestID``.
    case respond = "digest.respond"
    /// "Publish" on the Respond form; data: ``TeamsCardData/digestID`` merged with the form's inputs
    /// (``LeaderResponseInput``).
    case submitResponse = "response.submit"
}

/// The keys Debrief puts into a card action's `data`; the form's input ids are ``ReflectionFormField``
/// raw values, which never collide with these.
public enum TeamsCardData {
    /// The verb again, for `Action.Submit` fallbacks (which have no `verb`).
    public static let verb = "debrief_verb"
    /// The planned nudge a card answers.
    public static let nudgeID = "nudge_id"
    /// The stored reflection a form completes or replaces.
    public static let reflectionID = "reflection_id"
    /// The habit message a button answers.
    public static let habitID = "habit_id"
    /// The answer a habit button gives (a ``HabitAnswer`` raw value).
    public static let habitAnswer = "habit_answer"
    /// The rotating question the form carries (its id), so a submission says which question was answered.
    public static let questionID = "question_id"
    /// The input holding the answer to the rotating question (a choice id or free text; optional).
    public static let questionAnswer = "question_answer"
    /// The stored leadership digest a Respond button or form answers.
    public static let digestID = "digest_id"
}

/// The input ids of the Respond form (``LeaderResponseCard``); they never collide with ``TeamsCardData`` keys.
public enum LeaderResponseInput {
    public static let text = "response_text"
    public static let themes = "response_themes"
    public static let audience = "response_audience"
    public static let teams = "response_teams"
}
