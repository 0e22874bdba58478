import DebriefCore
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation

/// `/reflect privacy`: the privacy receipt.
extension SlackEndpoint {
    /// What this week's digest would show about the person's group if it were posted now — computed by
    /// the same code that posts digests, so the receipt cannot drift from what is published.
    func privacyReceipt(for user: PlatformUser) async throws -> JSONValue {
        guard let digests, let trainings else {
            return ["response_type": "ephemeral", "text": "Digests are not configured on this server yet."]
        }
        let person = reflections.pseudonym(of: user)
        let membership = try await trainings.store.roleAndTeam(of: person)
        let scope: DigestTarget.Scope = membership?.team.map { .team($0) } ?? .leadership
        let week = WeekKey(containing: now(), in: organisationTimeZone)
        let names = await digestNames?.recent(waitingAtMost: .milliseconds(1_500))
        let document = try await digests.document(for: scope, week: week, names: names, now: now())
        let texts = digests.templates.render(document, link: "(link to the full page)")
        let group: String
        switch scope {
        case .team(let team): group = "your team (\(SlackMarkup.escape(team)))"
        case .leadership: group = "the whole organisation (you are not in a team digest)"
        }
        let intro =
            "*Your privacy receipt.* If this week's digest were posted now, this is everything it would show about \(group). "
            + "Groups with fewer than \(digests.settings.k) people who answered show no numbers at all; quotes appear only "
            + "when their authors allowed it. Nothing here is about you individually."
        return DigestMessage.ephemeral(intro: intro, texts: texts, note: names == nil ? DigestService.withheldNote : nil)
    }
}
