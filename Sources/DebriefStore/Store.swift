import DebriefCore
import Foundation

/// The persistence contract every backend (SQLite, PostgreSQL) implements and passes the same tests for.
///
/// Callers never see SQL or records; each method is one transaction, so anything a method accepted is
/// durable when it returns — the HTTP layer acknowledges only after that.
/// - Important: platform user ids live only in the delivery-address part of the store, sealed with a key
///   derived from the pseudonym key (``PseudonymKeySource``), and are removed by ``erasePerson(_:address:)``;
///   everything else is keyed by ``Pseudonym``. A copy of the database without the pseudonym key links no
///   reflection to a person. Erased data must not stay readable in the database's files either (the SQLite
///   store overwrites deleted content and truncates its write-ahead log after an erasure).
public protocol Store: Sendable {
    /// Applies pending migrations. Safe to call on every start.
    func migrate() async throws(StoreError)

    /// A cheap round trip that proves the database answers (for `/readyz`).
    func checkHealth() async throws(StoreError)

    /// Records a platform delivery id (an Events API `event_id`) and tells whether it is new.
    /// Returns `false` for a repeat, so retried deliveries are processed once.
    func recordInboundDelivery(_ delivery: InboundDelivery) async throws(StoreError) -> Bool

    /// Forgets a recorded delivery id when processing it failed, so the platform's retry is processed.
    func removeInboundDelivery(_ delivery: InboundDelivery) async throws(StoreError)

    /// Creates the person on first contact and refreshes their delivery address; returns their preferences.
    @discardableResult
    func upsertPerson(_ address: DeliveryAddress, pseudonym: Pseudonym, at now: Date) async throws(StoreError)
        -> PersonPreferences

    /// Creates the person when new and replaces their stored address on `address.platform` with this one, and
    /// their time zone when one is given, in one transaction.
    ///
    /// Why apart from ``upsertPerson(_:pseudonym:at:)``, which never rewrites an address: a Teams address
    /// carries a conversation reference that changes (the regional service URL, a 1:1 chat opened later), and the
    /// person's zone comes with each of their activities rather than from a directory.
    func refreshPerson(_ address: DeliveryAddress, pseudonym: Pseudonym, timeZone: String?, at now: Date)
        async throws(StoreError)

    /// Creates or refreshes the person and stores their new (quick) reflection, in one transaction, which also
    /// answers the person's latest unanswered habit prompt as ``HabitPromptKind/answerWhenReflected`` says
    /// (``HabitPromptReflection``): one write per `/reflect`, not a write and a read.
    func recordReflection(_ reflection: Reflection, from address: DeliveryAddress) async throws(StoreError)

    /// Stores a new reflection (the person must exist).
    func insertReflection(_ reflection: Reflection) async throws(StoreError)

    /// Replaces the content of one of the person's reflections (adding details to a quick reflection).
    /// Returns `false` when no such reflection belongs to that person.
    func replaceReflection(_ reflection: Reflection) async throws(StoreError) -> Bool

    /// One of the person's reflections, or nil when it does not exist or belongs to someone else.
    func reflection(id: String, of person: Pseudonym) async throws(StoreError) -> Reflection?

    func preferences(of person: Pseudonym) async throws(StoreError) -> PersonPreferences?

    func setPreferences(_ preferences: PersonPreferences, of person: Pseudonym) async throws(StoreError)

    /// Everything stored about a person, for `/reflect mine`. Nil when nothing is stored.
    func exportPerson(_ person: Pseudonym) async throws(StoreError) -> PersonExport?

    /// Erases the person, their delivery address and every reflection, and removes their platform user id from
    /// every job that still names it (pending, running, done or dead) and from participant-resolution reports,
    /// in one transaction. Returns how many reflections went.
    /// - Parameter address: who the person is on their platform, as the caller knows it: their id is removed
    ///   from queued jobs even when Debrief has not stored an address for them yet (a training that names them
    ///   and is still waiting to be resolved must not bring them back).
    @discardableResult
    func erasePerson(_ person: Pseudonym, address: DeliveryAddress) async throws(StoreError) -> Int

    /// Records that a workspace uninstalled the app or revoked tokens.
    func recordInstallationEvent(_ event: InstallationEvent) async throws(StoreError)

    func installationEvents(workspace: String) async throws(StoreError) -> [InstallationEvent]

    /// A per-installation secret kept in the database, created once with `generate` on first use.
    /// Used for the pseudonym key when the operator did not configure one, so a zero-config start
    /// still gives stable pseudonyms.
    func instanceSecret(named name: String, generate: @escaping @Sendable () -> String) async throws(StoreError)
        -> String

    /// The key pseudonyms are made with: the configured one, or the one kept in the database (generated on
    /// first use). The same key the store seals platform identifiers with.
    func pseudonymKey() async throws(StoreError) -> String
}

/// A platform delivery to deduplicate: `(platform, workspace, delivery id)` is unique.
public struct InboundDelivery: Sendable, Equatable {
    public var platform: Platform
    public var workspace: String
    public var deliveryID: String
    public var kind: String
    public var receivedAt: Date

    public init(platform: Platform, workspace: String, deliveryID: String, kind: String, receivedAt: Date) {
        self.platform = platform
        self.workspace = workspace
        self.deliveryID = deliveryID
        self.kind = kind
        self.receivedAt = receivedAt
    }
}

/// Where to reach a person on a platform. The only place a raw platform user id is stored, and then sealed:
/// the store keeps it encrypted as one value (so fields a Teams address needs can be added), found by the
/// person's pseudonym — "the address of user U" is the address stored under U's pseudonym.
public struct DeliveryAddress: Sendable, Equatable, Codable {
    public var platform: Platform
    public var workspace: String
    public var userID: String
    /// Where a proactive message to this person goes on platforms that need more than the user id (a Teams
    /// conversation reference); nil on Slack, and on Teams until the person has written to the bot or the bot
    /// has opened a 1:1 chat with them.
    public var conversation: ConversationReference?

    public init(platform: Platform, workspace: String, userID: String, conversation: ConversationReference? = nil) {
        self.platform = platform
        self.workspace = workspace
        self.userID = userID
        self.conversation = conversation
    }

    public init(_ user: PlatformUser) {
        self.init(platform: user.platform, workspace: user.workspace, userID: user.userID)
    }
}

/// A platform's handle on a 1:1 conversation with a person (Teams: the Bot Connector's `serviceUrl`, the personal
/// conversation id and the person's bot-specific `29:` id). Sealed with the address, erased with it.
public struct ConversationReference: Sendable, Equatable, Codable {
    /// The regional base URL of every outbound call about this conversation.
    public var serviceURL: String
    /// The 1:1 conversation's id (`a:…`).
    public var conversationID: String
    /// The person's id in that conversation (`29:…`), when known.
    public var memberID: String?

    public init(serviceURL: String, conversationID: String, memberID: String? = nil) {
        self.serviceURL = serviceURL
        self.conversationID = conversationID
        self.memberID = memberID
    }
}

/// The complete data Debrief holds about one person (GDPR Art. 15 style export).
public struct PersonExport: Sendable, Equatable, Codable {
    public var pseudonym: Pseudonym
    public var firstSeenAt: Date
    public var addresses: [DeliveryAddress]
    public var preferences: PersonPreferences
    public var reflections: [Reflection]
    /// Responses the person wrote to leadership digests ("You said, we did"); nil when none were looked up.
    public var leaderResponses: [LeaderResponse]? = nil
    /// Answers to the rotating questions; nil from stores that keep none.
    public var questionAnswers: [QuestionAnswer]? = nil
    /// How many colleagues' examples the person marked "Useful" (`/reflect ideas`); nil from stores before v11.
    public var usefulMarks: Int? = nil
    /// The habit after a training (filled in by the server from ``HabitStore``); nil when never offered.
    public var habit: HabitExport? = nil

    public init(
        pseudonym: Pseudonym, firstSeenAt: Date, addresses: [DeliveryAddress], preferences: PersonPreferences,
        reflections: [Reflection], questionAnswers: [QuestionAnswer]? = nil
    ) {
        self.questionAnswers = questionAnswers
        self.pseudonym = pseudonym
        self.firstSeenAt = firstSeenAt
        self.addresses = addresses
        self.preferences = preferences
        self.reflections = reflections
    }
}

/// A workspace-level lifecycle event (`app_uninstalled`, `tokens_revoked`).
public struct InstallationEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case uninstalled
        case tokensRevoked = "tokens_revoked"
    }

    public var platform: Platform
    public var workspace: String
    public var kind: Kind
    public var occurredAt: Date

    public init(platform: Platform, workspace: String, kind: Kind, occurredAt: Date) {
        self.platform = platform
        self.workspace = workspace
        self.kind = kind
        self.occurredAt = occurredAt
    }
}

/// Storage failures an operator can act on. Messages never contain personal data.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case unavailable(String)
    case personNotFound
    case constraintViolated(String)
    case migrationFailed(String)
    case invalidConfiguration(String)
    case unexpected(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): "database unavailable: \(reason)"
        case .personNotFound: "person not found"
        case .constraintViolated(let reason): "constraint violated: \(reason)"
        case .migrationFailed(let reason): "migration failed: \(reason)"
        case .invalidConfiguration(let reason): "invalid database configuration: \(reason)"
        case .unexpected(let reason): "unexpected database error: \(reason)"
        }
    }
}
