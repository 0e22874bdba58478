import DebriefCore
import DebriefPlatform
import DebriefStore
import Foundation

/// Adds issue #13's sections to a week's computed digests: "You said, we did" to team digests and loop closure
/// to the leadership digest.
///
/// **Each response once.** A team digest of week W shows the responses written during W (in the organisation's
/// time zone) whose audience includes the team. Week W's digest is made after W ended, so every such response is
/// known and recomputing the week gives the same section; a response belongs to exactly one week, so it is
/// shown once per team. Leaders respond to a digest during the week after the one it covers, so their response
/// reaches teams with the next team digest.
struct LeaderResponseDigests: Sendable {
    let store: any DebriefDataStore
    let organisationTimeZone: TimeZone

    func decorate(_ documents: [DigestDocument], week: WeekKey, names: DirectoryNames?, now: Date) async throws
        -> [DigestDocument]
    {
        let needsResponses = documents.contains { if case .team = $0.audience { true } else { false } }
        let needsClosure = documents.contains { $0.audience == .leadership }
        var teamResponses: [(LeaderResponse, String)] = []
        if needsResponses, let names {
            let (start, end) = bounds(of: week)
            let scrubber = QuoteScrubber(directoryNames: names.directory)
            for stored in try await store.leaderResponses(createdFrom: start, before: end) {
                // The leader's display name as leaders' notes resolve it; a leader the directory no longer lists is
                // still "a leader" (the response stays readable, the name is not invented).
                let name = stored.authorUserID.flatMap { names.displayNames[$0] } ?? "A leader"
                var response = stored.response
                response.text = scrubber.scrub(response.text)
                teamResponses.append((response, name))
            }
        }
        var closure: LoopClosureSection?
        if needsClosure { closure = try await loopClosure(week: week, now: now) }
        return documents.map { document in
            var document = document
            switch document.audience {
            case .team(let team):
                document.addYouSaidWeDid(
                    teamResponses.filter { $0.0.audience.includes(team: team) }.compactMap { response, name in
                        guard let week = WeekKey(response.week) else { return nil }
                        return DigestLeaderResponse(
                            displayName: name, text: response.text, themes: response.themes, answeredWeek: week)
                    })
            case .leadership:
                document.addLoopClosure(closure)
            }
            return document
        }
    }

    /// Loop closure over the stored leadership digests of the four weeks before `week`.
    func loopClosure(week: WeekKey, now: Date) async throws -> LoopClosureSection? {
        let weeks = (1...LoopClosure.weeks).map { week.adding(weeks: -$0) }
        var published: [PublishedTopBlockers] = []
        for earlier in weeks {
            // Slack's leadership digest, else Teams': the same document on either platform.
            var stored = try await store.digest(target: DigestTarget.Scope.leadership.key, week: earlier.description)
            if stored == nil {
                stored = try await store.digest(
                    target: DigestTarget(scope: .leadership, channel: "", platform: .teams).key,
                    week: earlier.description)
            }
            guard let stored, let document = try? DigestService.decode(stored.document),
                let blockers = PublishedTopBlockers(
                    document: document, publishedAt: stored.postedAt ?? stored.createdAt)
            else { continue }
            published.append(blockers)
        }
        guard !published.isEmpty else { return nil }
        let responses = try await store.leaderResponses(answering: weeks.map(\.description)).compactMap {
            stored -> AnsweredThemes? in
            guard let week = WeekKey(stored.response.week) else { return nil }
            return AnsweredThemes(week: week, themes: stored.response.themes, createdAt: stored.response.createdAt)
        }
        return LoopClosure.section(published: published, responses: responses, week: week, now: now)
    }

    /// Monday 00:00 of `week` and of the week after, in the organisation's zone.
    func bounds(of week: WeekKey) -> (Date, Date) {
        func start(_ date: LocalDate) -> Date {
            organisationTimeZone.instant(for: LocalDateTime(date: date, time: LocalTime(hour: 0, minute: 0) ?? .noon))
        }
        return (start(week.monday), start(week.adding(weeks: 1).monday))
    }
}
