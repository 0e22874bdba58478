import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation

/// `/reflect privacy`: the privacy receipt.
extension SlackEndpoint {
    /// What last week's digest shows (or will show when it is posted) about the person's group: the stored
    /// release of the last finished week, the same on every request — never a live recomputation of the week
    /// in progress, which would let two requests be subtracted.
    func privacyReceipt(for user: PlatformUser) async throws -> JSONValue {
        guard let digests, let trainings else {
            return ["response_type": "ephemeral", "text": "Digests are not configured on this server yet."]
        }
        let person = reflections.pseudonym(of: user)
        let membership = try await trainings.store.roleAndTeam(of: person)
        let scope: DigestTarget.Scope = membership?.team.map { .team($0) } ?? .leadership
        let currentWeek = WeekKey(containing: now(), in: organisationTimeZone)
        let week = currentWeek.previous
        let names = await digestNames?.recent(waitingAtMost: .milliseconds(1_500))
        let document = try await digests.publishedDocument(
            for: scope, week: week, currentWeek: currentWeek, names: names, now: now())
        let texts = platform.digestTexts(DigestDelivery(digestID: "", document: document, link: "(link to the full page)"))
        let group: String
        switch scope {
        case .team(let team): group = "your team (\(SlackMarkup.escape(team)))"
        case .leadership: group = "the whole organisation (you are not in a team digest)"
        }
        let intro =
            "*Your privacy receipt.* This is everything last week's digest (\(week)) shows about \(group), or will "
            + "show when it is posted. It only ever covers finished weeks, and it is the same every time you ask. "
            + "Groups with fewer than \(digests.settings.k) people who answered show no numbers at all; quotes appear "
            + "only when their authors allowed it. Nothing here is about you individually."
        return DigestMessage.ephemeral(intro: intro, texts: texts, note: names == nil ? DigestService.withheldNote : nil)
    }
}
