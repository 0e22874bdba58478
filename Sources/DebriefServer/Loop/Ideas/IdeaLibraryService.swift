import DebriefCore
import DebriefPlatform
import DebriefStore
import Foundation

/// `/reflect ideas [topic]` and the "Useful" button, the same on every platform: the threshold, the search, the
/// scrubbing and the marks.
///
/// - Important: examples are served only once `quoteThreshold` (k for quotes) distinct people have agreed to be
///   quoted organisation-wide; their text is scrubbed of every directory name like a digest quote, and shown
///   without a name unless the author chose `attributed`. Without a readable directory nothing is shown.
struct IdeaLibraryService: Sendable {
    let store: any Store & IdeaStore
    let reflections: ReflectionService
    /// The directory, to scrub names and name attributed authors; nil: examples are withheld.
    let directory: DirectoryCache?
    let quoteThreshold: Int
    let organisationTimeZone: TimeZone
    let now: @Sendable () -> Date

    /// The examples for `topic` as `user` should see them (their own are left out).
    func search(topic: String, for user: PlatformUser) async throws -> IdeaAnswer {
        let terms = IdeaSearchTerms(topic: topic)
        let hasTopic = !topic.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        if hasTopic && terms.isEmpty { return .unsearchable }
        let contributors = try await store.ideaContributorCount(upTo: IdeaLibrary.openingCount(quoteThreshold))
        if case .needsMoreContributors(let missing) = IdeaLibrary.availability(
            contributors: contributors, quoteThreshold: quoteThreshold)
        {
            return .notYet(missing: missing, quoteThreshold: quoteThreshold)
        }
        guard let names = await directory?.recent(waitingAtMost: .milliseconds(1_500)) else { return .withheld }
        let me = reflections.pseudonym(of: user)
        var fromEarlierWeeks = false
        var candidates: [IdeaCandidate]
        if hasTopic {
            candidates = try await store.searchIdeas(IdeaSearch(terms: terms, excluding: me, order: .newest))
        } else {
            let week = WeekKey(containing: now(), in: organisationTimeZone).description
            candidates = try await store.searchIdeas(
                IdeaSearch(terms: terms, sinceWeek: week, excluding: me, order: .mostUseful))
            if candidates.allSatisfy({ $0.usefulCount == 0 }) {
                let earlier = try await store.searchIdeas(IdeaSearch(terms: terms, excluding: me, order: .mostUseful))
                if earlier.contains(where: { $0.usefulCount > 0 }) || candidates.isEmpty {
                    candidates = earlier
                    fromEarlierWeeks = earlier.contains(where: { $0.usefulCount > 0 })
                }
            }
        }
        let examples = IdeaLibrary.examples(
            from: candidates, directoryNames: names.directory, displayName: { names.displayNames[$0] })
        if examples.isEmpty { return hasTopic ? .noMatch(topic: terms.shown) : .empty }
        return .examples(examples, topic: terms.shown, fromEarlierWeeks: fromEarlierWeeks)
    }

    /// Counts `user`'s "Useful" click on a reflection (once per person and example).
    func markUseful(reflectionID: String, by user: PlatformUser) async throws -> IdeaMarkResult {
        let person = reflections.pseudonym(of: user)
        try await store.upsertPerson(DeliveryAddress(user), pseudonym: person, at: now())
        return try await store.markIdeaUseful(reflectionID: reflectionID, by: person, at: now())
    }
}
