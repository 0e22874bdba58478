import Crypto
import DebriefCore
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation

/// Computes digest documents and their signed page links; used by the posting job, the preview command
/// and the `/reflect privacy` receipt, so all three show exactly the same thing.
struct DigestService: Sendable {
    let store: any DebriefDataStore
    let templates: DigestTemplates
    let settings: PrivacySettings
    let linkKey: SymmetricKey
    /// Base of links in Slack messages, e.g. `https://debrief.example.com` (read when a link is made, so
    /// a server bound to port 0 links to the port it actually got).
    let publicURL: @Sendable () -> String
    let linkLifetime: TimeInterval
    /// Seeds noise and quote shuffling so recomputing a week's digest gives the same document.
    let seed: UInt64

    init(
        store: any DebriefDataStore, templates: DigestTemplates, settings: PrivacySettings, linkSecret: String,
        publicURL: @escaping @Sendable () -> String, linkLifetime: TimeInterval = 30 * 86_400
    ) {
        self.store = store
        self.templates = templates
        self.settings = settings
        self.linkKey = DigestLink.key(secret: linkSecret)
        self.publicURL = publicURL
        self.linkLifetime = linkLifetime
        let digest = SHA256.hash(data: Data(("digest-seed:" + linkSecret).utf8))
        self.seed = digest.prefix(8).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
    }

    func document(
        for scope: DigestTarget.Scope, week: WeekKey, leaderNames: [String: String] = [:],
        directoryNames: [String] = [], now: Date
    ) async throws -> DigestDocument {
        let audience: DigestAudience
        switch scope {
        case .leadership: audience = .leadership
        case .team(let team): audience = .team(team)
        }
        let input = try await DigestInputAssembler(store: store, settings: settings).input(
            audience: audience, week: week, leaderNames: leaderNames, directoryNames: directoryNames, now: now)
        var random = SeededGenerator.derived(from: seed, label: "\(audience)|\(week)")
        return DigestBuilder.build(input, random: &random)
    }

    func link(digestID: String, now: Date) -> String {
        DigestLink.url(baseURL: publicURL(), digestID: digestID, expiresAt: now.addingTimeInterval(linkLifetime), key: linkKey)
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

    static func title(for scope: DigestTarget.Scope, week: String) -> String {
        switch scope {
        case .leadership: "Debrief — organisation digest, \(week)"
        case .team(let team): "Debrief — \(team) digest, \(week)"
        }
    }
}
