import DebriefCore
import DebriefPlatform
import DebriefStore
import Foundation

/// Chooses each team digest's "Try this": the most useful, then newest, consented example of the team's most
/// common use case (as the digest publishes it; when it does not, of any use case) from the digest's week or
/// earlier.
///
/// - Important: the rule that keeps it from singling anyone out, in full:
///   1. nothing unless at least k-for-quotes people have agreed to quotes organisation-wide;
///   2. never an example by someone in the receiving team (their own words are the quotes section's, under its
///      own per-team threshold);
///   3. never an example by someone in a team smaller than k (an anonymous example from a tiny team narrows down
///      to a handful of people); authors in no team are counted in the organisation;
///   4. nothing without a readable directory (the text could not be scrubbed), and a name only for `attributed`.
struct TryThisPicker: Sendable {
    let store: any IdeaStore
    let settings: PrivacySettings

    /// Adds "Try this" to every team document it can.
    /// - Parameter scrubber: one already prepared for `names.directory`, if the caller has it.
    func attach(
        to documents: [DigestDocument], week: WeekKey, names: DirectoryNames?, scrubber prepared: QuoteScrubber? = nil
    ) async throws -> [DigestDocument] {
        guard let names, documents.contains(where: { if case .team = $0.audience { true } else { false } }) else {
            return documents
        }
        let contributors = try await store.ideaContributorCount(
            upTo: IdeaLibrary.openingCount(settings.effectiveKQuotes))
        guard
            IdeaLibrary.availability(contributors: contributors, quoteThreshold: settings.effectiveKQuotes) == .open
        else { return documents }
        // One store call for every team (see `tryThisExamples`), then each document its own example.
        let requests = documents.compactMap { document -> TryThisRequest? in
            guard case .team(let team) = document.audience else { return nil }
            return TryThisRequest(team: team, category: document.topPublishedCategory)
        }
        let found = try await store.tryThisExamples(
            requests, untilWeek: week.description, minimumTeamSize: settings.effectiveK)
        // One scrubber for every team, and none when there is nothing to show.
        let scrubber = found.isEmpty ? nil : (prepared ?? QuoteScrubber(directoryNames: names.directory))
        var result: [DigestDocument] = []
        for document in documents {
            guard case .team(let team) = document.audience else {
                result.append(document)
                continue
            }
            var example: IdeaExample?
            if let candidate = found[TryThisRequest(team: team, category: document.topPublishedCategory)],
                let scrubber
            {
                example =
                    IdeaLibrary.examples(
                        from: [candidate], scrubber: scrubber, displayName: { names.displayNames[$0] }, limit: 1
                    ).first
            }
            result.append(
                document.addingTryThis(
                    example.map { TryThisSection(teamTopCategory: document.topPublishedCategory, example: $0) }))
        }
        return result
    }
}
