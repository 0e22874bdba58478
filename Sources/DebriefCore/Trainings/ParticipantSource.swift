/// Who took part in a training, as the admin named them. Resolved to people through the platform.
public enum ParticipantSource: Sendable, Equatable, Hashable, Codable {
    /// A Slack user group (`S…`), e.g. `@ai-cohort-3`.
    case userGroup(id: String)
    /// Everyone in a channel (`C…`/`G…`).
    case channel(id: String)
    /// One person by platform user id (`U…`/`W…`).
    case user(id: String)
    /// One person by e-mail address, looked up on the platform.
    case email(String)
}
