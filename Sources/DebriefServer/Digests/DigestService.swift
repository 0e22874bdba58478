import Crypto
import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefStore
import Foundation

/// Computes digest documents and their signed page links; used by the posting job, the preview command
/// and the `/reflect privacy` receipt, so all three show exactly the same thing. How a document is written
/// (its markup) is the platform's: ``ChatPlatform/digestTexts(_:)``.
struct DigestService: Sendable {
    let store: any DebriefDataStore
    let settings: PrivacySettings
    let linkKey: SymmetricKey
    /// Base of links in Slack messages, e.g. `https://debrief.example.com` (read when a link is made, so
    /// a server bound to port 0 links to the port it actually got).
    let publicURL: @Sendable () -> String
    let linkLifetime: TimeInterval
    /// Seeds noise and quote shuffling so recomputing a week's digest gives the same document. One value for
    /// every audience and week: a count shown in two digests, or again as a trend point, carries the same
    /// noise and cannot be averaged out.
    let seed: UInt64
    /// Leaders' responses and loop closure (issue #13); nil leaves digests without them.
    var responses: LeaderResponseDigests?
    /// The rotating questions and themes: the leadership digest's expectation gap and themes.
    let questions: QuestionLibrary

    init(
        store: any DebriefDataStore, settings: PrivacySettings, linkSecret: String,
        publicURL: @escaping @Sendable () -> String, linkLifetime: TimeInterval = DigestLink.defaultLifetime,
        questions: QuestionLibrary = .empty
    ) {
        self.questions = questions
        self.store = store
        self.settings = settings
        self.linkKey = DigestLink.key(secret: linkSecret)
        self.publicURL = publicURL
        self.linkLifetime = linkLifetime
        let digest = SHA256.hash(data: Data(("digest-seed:" + linkSecret).utf8))
        self.seed = digest.prefix(8).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
    }

    /// Every audience's document of one week, from one read of the store and one batch build (suppression
    /// plans and the name scrubber are shared). The posting job computes all targets of a week this way.
    ///
    /// - Parameter names: nil when the directory could not be read: the documents then carry no quotes or
    ///   leaders' notes.
    func documents(for scopes: [DigestTarget.Scope], week: WeekKey, names: DirectoryNames?, now: Date) async throws
        -> [DigestDocument]
    {
        let documents = try await DigestComputation(store: store, settings: settings, seed: seed, questions: questions)
            .documents(
                for: scopes.map(\.audience), week: week, names: names, now: now)
        return try await responses?.decorate(documents, week: week, names: names, now: now) ?? documents
    }

    /// One audience's document; identical to the same audience's document from `documents`.
    func document(for scope: DigestTarget.Scope, week: WeekKey, names: DirectoryNames?, now: Date) async throws
        -> DigestDocument
    {
        let documents = try await documents(for: [scope], week: week, names: names, now: now)
        guard let document = documents.first else { throw DigestComputation.NoDocument() }
        return document
    }

    /// A week that has not ended yet: receipts and previews show finished weeks only, never a live
    /// recomputation (two views of a week in progress would differ by exactly the people who reflected in
    /// between).
    struct WeekNotFinished: Error, CustomStringConvertible {
        var week: WeekKey
        var lastFinished: WeekKey
        var description: String {
            "\(week) has not ended yet: previews show finished weeks only (the latest is \(lastFinished))"
        }
    }

    /// What the digest of a finished week shows for `scope`: the stored (posted, or ready to post) document
    /// when there is one, otherwise the document rendered from the week's stored release (released now if
    /// this is the first time anyone asks). Asking twice gives the same numbers.
    func publishedDocument(
        for scope: DigestTarget.Scope, week: WeekKey, currentWeek: WeekKey, names: DirectoryNames?, now: Date
    ) async throws -> DigestDocument {
        guard week < currentWeek else { throw WeekNotFinished(week: week, lastFinished: currentWeek.previous) }
        if let stored = try await store.digest(target: scope.key, week: week.description) {
            return try Self.decode(stored.document)
        }
        return try await document(for: scope, week: week, names: names, now: now)
    }

    func link(digestID: String, now: Date) -> String {
        DigestLink.url(
            baseURL: publicURL(), digestID: digestID, expiresAt: now.addingTimeInterval(linkLifetime), key: linkKey)
    }

    func verify(digestID: String, sig: String, now: Date) -> Result<Void, DigestLinkError> {
        DigestLink.verify(digestID: digestID, sig: sig, now: now, key: linkKey)
    }

    static func encode(_ document: DigestDocument) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(document)
    }

    static func decode(_ data: Data) throws -> DigestDocument {
        try JSONDecoder().decode(DigestDocument.self, from: data)
    }

    /// A line for previews and receipts that had to leave free text out.
    static let withheldNote =
        "_Quotes and leaders' notes are left out here: the workspace directory, needed to remove colleagues' "
        + "names from them, could not be read just now. The posted digest includes them._"

    static func title(for scope: DigestTarget.Scope, week: String) -> String {
        switch scope {
        case .leadership: "Debrief — organisation digest, \(week)"
        case .team(let team): "Debrief — \(team) digest, \(week)"
        }
    }
}
