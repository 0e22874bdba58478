import DebriefCore
import DebriefPrompts
import DebriefStore

/// The one way the server reaches people and channels: the port every chat platform (Slack today, Teams
/// next) implements, so nudges, digests, the directory and participant resolution are written once.
///
/// Why a port rather than the Slack client everywhere: what a nudge or a digest *is* does not depend on the
/// platform, but how it is drawn (Block Kit or an Adaptive Card), how a 429 is reported and how a user group
/// is read all do. Everything platform-specific — markup, message layout, pagination, error codes — stays
/// behind this protocol in the adapter's module; the server sees ``ChatPlatformError`` and plain values.
///
/// - Important: an adapter never logs user ids, channel ids, tokens or message text.
public protocol ChatPlatform: Sendable {
    /// Which platform this adapter speaks; also the key of its delivery addresses and job buckets.
    var platform: Platform { get }

    /// The workspace (Slack team, Teams tenant) the bot is installed in, as stored in delivery addresses.
    func workspaceID() async throws(ChatPlatformError) -> String

    // MARK: Nudges

    /// Sends one nudge to a person in a direct message; returns where it landed (for a later update).
    func sendNudge(_ nudge: NudgeDelivery, to person: DeliveryAddress) async throws(ChatPlatformError)
        -> PostedMessage

    /// Replaces a nudge the bot sent with its answered form (a thanks, or a short confirmation of a snooze or
    /// a skip), so its buttons go away.
    func markNudgeAnswered(
        _ message: PostedMessage, answer: NudgeAnswer, trainingTitle: String, texts: NudgeMessageTexts)
        async throws(ChatPlatformError)

    // MARK: Habit

    /// Sends one habit message (offer, recurring prompt, "Should I keep asking?", leader ask) to a person in a
    /// direct message; its buttons carry the message's id.
    func sendHabitMessage(_ message: HabitDelivery, to person: DeliveryAddress) async throws(ChatPlatformError)
        -> PostedMessage

    // MARK: Digests

    /// How this platform writes a digest (its markup); previews show exactly what would be posted.
    func digestTexts(_ digest: DigestDelivery) -> DigestTexts

    /// Posts a digest's main message to a channel, marked with the digest id so it can be found again.
    ///
    /// One attempt only: a retry after a timeout could post twice. The job retries, and looks first.
    func postDigest(_ digest: DigestDelivery, to channel: String) async throws(ChatPlatformError) -> PostedMessage

    /// Posts the digest's details under its main message (a thread reply, a reply in the conversation);
    /// does nothing when the digest has no details.
    func postDigestDetails(_ digest: DigestDelivery, under message: PostedMessage) async throws(ChatPlatformError)

    /// Looks among a channel's recent messages for this digest (after a crash between posting and recording).
    func findDigestPost(digestID: String, in channel: String) async -> EarlierDigestPost

    // MARK: Directory

    /// Reads the whole directory page by page (names for scrubbing quotes, display names for leaders who
    /// chose to be named); the directory itself is never stored.
    func readDirectory(page: ([DirectoryEntry]) -> Void) async throws(ChatPlatformError)

    /// The user ids in a group (a Slack user group, a Teams team); used for role and team levels.
    func groupMembers(_ groupID: String) async throws(ChatPlatformError) -> [String]

    /// User ids for the e-mail addresses the platform knows (lower-cased addresses; others are left out).
    func userIDs(forEmails emails: Set<String>) async throws(ChatPlatformError) -> [String: String]

    // MARK: Trainings

    /// Turns the participants an admin named into accounts with their time zones, saying who could not be
    /// reached. Stops with ``ParticipantResolution/overLimit`` when the sources add up to more than `limit`.
    ///
    /// - Throws: `CancellationError` when the task is cancelled; ``ParticipantDirectoryUnavailable`` when a
    ///   large cohort's directory cannot be read (the job tries again later).
    func resolveParticipants(_ sources: [ParticipantSource], limit: Int) async throws -> ParticipantResolution

    /// Tells the admin who registered a training what came of resolving its participants.
    func reportResolution(_ notice: TrainingResolutionNotice, to admin: String) async throws(ChatPlatformError)
}

/// A training's resolution as the admin who registered it is told it.
public struct TrainingResolutionNotice: Sendable, Equatable {
    public var training: Training
    public var report: TrainingResolutionReport
    /// Nudges planned for the resolved participants.
    public var nudges: Int

    public init(training: Training, report: TrainingResolutionReport, nudges: Int) {
        self.training = training
        self.report = report
        self.nudges = nudges
    }
}

/// What a search for an earlier post of a digest found.
public enum EarlierDigestPost: Sendable, Equatable {
    case found(PostedMessage)
    case notFound
    /// The channel could not be read: the caller must not post (it might post twice).
    case unknown
}

/// The platforms this server is connected to, by the platform of an address, a job or a channel.
public struct ChatPlatforms: Sendable {
    private let byPlatform: [Platform: any ChatPlatform]

    public init(_ platforms: [any ChatPlatform]) {
        var byPlatform: [Platform: any ChatPlatform] = [:]
        for platform in platforms { byPlatform[platform.platform] = platform }
        self.byPlatform = byPlatform
    }

    public subscript(platform: Platform) -> (any ChatPlatform)? { byPlatform[platform] }

    /// Every connected platform, in `Platform`'s order (so results that combine them are stable).
    public var all: [any ChatPlatform] { Platform.allCases.compactMap { byPlatform[$0] } }

    public var isEmpty: Bool { byPlatform.isEmpty }
}

extension Platform {
    /// The platform's name as operators and admins read it in job errors and messages.
    public var displayName: String {
        switch self {
        case .slack: "Slack"
        case .teams: "Teams"
        }
    }
}
