/// The `action_id`s of Debrief's buttons, shared by the renderers and the server's action handlers.
///
/// Constants rather than literals so a renamed button cannot silently stop reaching its handler.
public enum SlackActionID {
    /// "Add details" under a quick reflection; `value` is the reflection id.
    public static let addDetails = "reflection_add_details"
    /// The danger button of the `/reflect forget` confirmation.
    public static let forgetConfirm = "reflection_forget_confirm"
    /// The cancel button of the `/reflect forget` confirmation.
    public static let forgetCancel = "reflection_forget_cancel"
    /// "Write a reflection" on the Home tab (and nudges): open the reflection form.
    public static let openForm = "reflection_open_form"
    /// "Useful" under a colleague's example (`/reflect ideas`); `value` is the reflection id.
    public static let ideaUseful = "idea_useful"

    /// Every action id Debrief renders.
    public static let all: Set<String> = [addDetails, forgetConfirm, forgetCancel, openForm, ideaUseful]
}

/// The `block_id`s of Debrief's action rows.
public enum SlackBlockID {
    public static let quickStoredActions = "reflection_quick_actions"
    public static let forgetActions = "reflection_forget_actions"
    public static let homeActions = "reflection_home_actions"
    /// Prefix of each example's action row in `/reflect ideas` (followed by `_` and the reflection id).
    public static let ideaActions = "idea_actions"
}
