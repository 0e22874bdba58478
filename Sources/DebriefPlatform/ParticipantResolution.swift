import DebriefStore

/// A participant the platform knows, with the time zone it reports for them.
public struct ResolvedParticipant: Sendable, Equatable {
    public var userID: String
    /// IANA zone; nil when the platform does not say (the organisation's zone is used then).
    public var timeZone: String?

    public init(userID: String, timeZone: String?) {
        self.userID = userID
        self.timeZone = timeZone
    }
}

/// The participants of a training as resolved on a platform, and everyone who could not be reached — never
/// silently dropped: the admin is told each of them.
public struct ParticipantResolution: Sendable, Equatable {
    public var people: [ResolvedParticipant] = []
    /// E-mail addresses with no account (told to the admin, never stored).
    public var unknownEmails: [String] = []
    /// Deactivated accounts, as user ids the admin's client renders as names.
    public var deactivatedUserIDs: [String] = []
    /// User ids the workspace does not know.
    public var unknownUserIDs: [String] = []
    /// Sources that could not be read at all (e.g. the bot is not in a private channel).
    public var unreadableSources: [String] = []
    /// Set when the sources add up to more than the limit; `people` is then empty.
    public var overLimit: ParticipantLimitExceeded?

    public init() {}

    public var unresolvedCount: Int { unknownEmails.count + deactivatedUserIDs.count + unknownUserIDs.count }
}

/// A large cohort needs the directory; when the platform does not give it, the job is tried again later
/// rather than asking for each of thousands of people one by one.
public struct ParticipantDirectoryUnavailable: Error, CustomStringConvertible {
    /// The method that failed and the platform's error code (no personal data).
    public var method: String
    public var code: String

    public init(method: String, code: String) {
        self.method = method
        self.code = code
    }

    public var description: String { "\(method) failed (\(code)); the participants are resolved on a later attempt" }
}
