/// The words around a nudge in a Slack DM, in one language: buttons, the privacy line, and the short
/// confirmations that replace the buttons afterwards.
///
/// Loaded from `prompts/slack/nudges.yaml` so the promise made under every question ("about a minute,
/// private unless you choose to be quoted") is reviewed with the other texts, not buried in code.
public struct NudgeMessageTexts: Sendable, Equatable {
    /// "Reflect (1 min)": opens the reflection form.
    public var reflectButton: String
    /// "Snooze 1 day".
    public var snoozeButton: String
    /// "Not this one".
    public var skipButton: String
    /// The small line under the question; may contain `{training_title}`.
    public var context: String
    /// Replaces the nudge after the person reflected; may contain `{training_title}`.
    public var thanked: String
    /// Replaces the buttons after a snooze; may contain `{training_title}`.
    public var snoozed: String
    /// Replaces the buttons after "Not this one"; may contain `{training_title}`.
    public var skipped: String

    public init(
        reflectButton: String, snoozeButton: String, skipButton: String, context: String, thanked: String,
        snoozed: String, skipped: String
    ) {
        self.reflectButton = reflectButton
        self.snoozeButton = snoozeButton
        self.skipButton = skipButton
        self.context = context
        self.thanked = thanked
        self.snoozed = snoozed
        self.skipped = skipped
    }
}
