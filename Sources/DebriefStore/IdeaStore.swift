import DebriefCore
import Foundation

/// The use-case library (`/reflect ideas`): full-text search over consented reflections and the "Useful" marks.
///
/// Both backends keep a full-text index of `reflections.text` in step with the table (SQLite: an FTS5
/// external-content table kept by triggers, tokenizer `unicode61 remove_diacritics 2`; PostgreSQL: a generated
/// `tsvector` with a GIN index, the `simple` configuration plus `unaccent` where available), so "Überprüfung" and
/// "uberprufung" find each other and erasing a reflection removes its words from the index.
/// - Important: only reflections whose author chose `anonymous_quote` or `attributed` are ever returned; the
///   author's platform id is opened only for `attributed` ones; dates are ISO weeks.
public protocol IdeaStore: Sendable {
    /// How many distinct people have at least one reflection that may be quoted, counting no further than
    /// `limit`: the library opens at k quotes, so callers ask with k and never need — or compute — more.
    ///
    /// Why capped: counting every contributor read every consented reflection of the history (a third of a
    /// second at two million reflections, paid by every `/reflect ideas` and every digest job), while the answer
    /// only decides "open or not yet"; both backends stop at the `limit`-th person (a partial index of consented
    /// reflections by person). A `limit` below 1 counts nobody.
    func ideaContributorCount(upTo limit: Int) async throws(StoreError) -> Int

    /// Consented reflections matching `search`.
    func searchIdeas(_ search: IdeaSearch) async throws(StoreError) -> [IdeaCandidate]

    /// Counts `person` as finding the reflection useful, once per person and reflection.
    func markIdeaUseful(reflectionID: String, by person: Pseudonym, at now: Date) async throws(StoreError)
        -> IdeaMarkResult

    /// How many examples `person` marked useful (for `/reflect mine`).
    func ideaMarkCount(by person: Pseudonym) async throws(StoreError) -> Int

    /// The "Try this" example of many team digests in one call: for each request, exactly the first result of
    /// `searchIdeas` with no words, the request's category, `excludingTeam: request.team`, `untilWeek`,
    /// `minimumTeamSize`, order `.mostUseful` and limit 1. Requests without an example have no entry.
    ///
    /// Why a batch: a digest week asks this for every team, and a search per team reads and orders every
    /// consented reflection of the history again each time (the default below does exactly that; a backend may
    /// answer all teams from one ordered pass, as every team's example is the first one not by its own members).
    func tryThisExamples(_ requests: [TryThisRequest], untilWeek: String, minimumTeamSize: Int)
        async throws(StoreError) -> [TryThisRequest: IdeaCandidate]
}

/// One team digest's "Try this" question: an example of `category` (nil: any) by someone outside `team`.
public struct TryThisRequest: Sendable, Hashable {
    public var team: String
    public var category: TaskCategory?

    public init(team: String, category: TaskCategory?) {
        self.team = team
        self.category = category
    }
}

extension IdeaStore {
    /// One search per request (see the requirement).
    public func tryThisExamples(_ requests: [TryThisRequest], untilWeek: String, minimumTeamSize: Int)
        async throws(StoreError) -> [TryThisRequest: IdeaCandidate]
    {
        var examples: [TryThisRequest: IdeaCandidate] = [:]
        for request in Set(requests) {
            let found = try await searchIdeas(
                IdeaSearch(
                    terms: IdeaSearchTerms(topic: ""), category: request.category, untilWeek: untilWeek,
                    excludingTeam: request.team, minimumTeamSize: minimumTeamSize, order: .mostUseful, limit: 1))
            examples[request] = found.first
        }
        return examples
    }
}

/// What to look for in the library.
public struct IdeaSearch: Sendable, Equatable {
    public enum Order: Sendable, Equatable {
        /// Newest week first (a topic search).
        case newest
        /// Most "Useful" marks first, then newest (no topic).
        case mostUseful
    }

    /// Words all of which must match; empty: any consented reflection.
    public var terms: IdeaSearchTerms
    /// Only reflections of this task category.
    public var category: TaskCategory?
    /// Only reflections of this ISO week or later (`2026-W49`).
    public var sinceWeek: String?
    /// Only reflections of this ISO week or earlier (a digest's "Try this" shows nothing newer than its week).
    public var untilWeek: String?
    /// Leaves out this person's own reflections (the caller's).
    public var excluding: Pseudonym?
    /// Leaves out the reflections of this team's members (a team digest's "Try this" comes from elsewhere).
    public var excludingTeam: String?
    /// Only authors in no team or in a team of at least this many people (the digest's "Try this": an example
    /// must not narrow down to someone in a small group).
    public var minimumTeamSize: Int?
    public var order: Order
    public var limit: Int

    public init(
        terms: IdeaSearchTerms, category: TaskCategory? = nil, sinceWeek: String? = nil, untilWeek: String? = nil,
        excluding: Pseudonym? = nil, excludingTeam: String? = nil, minimumTeamSize: Int? = nil,
        order: Order = .newest, limit: Int = IdeaLibrary.maximumExamples
    ) {
        self.terms = terms
        self.category = category
        self.sinceWeek = sinceWeek
        self.untilWeek = untilWeek
        self.excludingTeam = excludingTeam
        self.excluding = excluding
        self.minimumTeamSize = minimumTeamSize
        self.order = order
        self.limit = limit
    }
}

/// The answer to a "Useful" click.
public enum IdeaMarkResult: Sendable, Equatable {
    case counted
    /// The person had marked it before; nothing changed.
    case alreadyCounted
    /// No such consented reflection (erased, consent withdrawn, or never one), or it is the person's own.
    case unavailable
}
