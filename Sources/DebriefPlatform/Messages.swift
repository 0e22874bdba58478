import DebriefCore
import DebriefPrompts

/// Where a message the bot posted lives, for a later update or a reply under it: a Slack channel and `ts`,
/// a Teams conversation and activity id.
public struct PostedMessage: Sendable, Hashable {
    /// The channel or conversation the platform reports (posting to a person lands in the bot's DM with them).
    public var channel: String
    /// The message's id within the channel.
    public var id: String

    public init(channel: String, id: String) {
        self.channel = channel
        self.id = id
    }
}

/// One nudge as the server decided it: the adapter draws it (buttons "Reflect", "Snooze", "Not this one").
public struct NudgeDelivery: Sendable, Equatable {
    /// The rendered question (plain text; the adapter escapes it for its markup).
    public var text: String
    public var trainingTitle: String
    /// Identifies the sent nudge in the store; carried by the buttons.
    public var nudgeID: String
    /// The words around the question in the person's language.
    public var texts: NudgeMessageTexts

    public init(text: String, trainingTitle: String, nudgeID: String, texts: NudgeMessageTexts) {
        self.text = text
        self.trainingTitle = trainingTitle
        self.nudgeID = nudgeID
        self.texts = texts
    }
}

/// How a person answered a nudge, which decides what replaces it.
public enum NudgeAnswer: Sendable, Equatable {
    case reflected, snoozed, skipped
}

/// A digest to post: its document and the signed link to its page.
public struct DigestDelivery: Sendable {
    /// The stored digest's id; the posted message carries it so a retry can find it.
    public var digestID: String
    public var document: DigestDocument
    /// The signed URL of the digest page.
    public var link: String

    public init(digestID: String, document: DigestDocument, link: String) {
        self.digestID = digestID
        self.document = document
        self.link = link
    }
}

extension DigestTexts {
    /// What `debrief digest preview` prints: the main message, then the details.
    public var preview: String {
        details.isEmpty ? main : main + "\n\n--- thread reply ---\n" + details
    }
}
