import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefStore
import Foundation

/// What last week's digest shows about a person's group, for `privacy` on every platform: the stored release
/// of a finished week — the same on every request, never a live recomputation of the week in progress, which
/// would let two requests be subtracted.
struct PrivacyReceipts: Sendable {
    let digests: DigestService
    /// Which team a person's receipt is about.
    let roles: any DigestStore
    let reflections: ReflectionService
    /// A recent copy of the directory, to scrub names from quotes (nil: quotes are left out).
    let directory: DirectoryCache?
    /// The person's platform, whose markup the receipt is drawn in.
    let platform: any ChatPlatform
    let organisationTimeZone: TimeZone
    let now: @Sendable () -> Date

    func receipt(for user: PlatformUser) async throws -> PrivacyReceipt {
        let person = reflections.pseudonym(of: user)
        let membership = try await roles.roleAndTeam(of: person)
        let scope: DigestTarget.Scope = membership?.team.map { .team($0) } ?? .leadership
        let currentWeek = WeekKey(containing: now(), in: organisationTimeZone)
        let week = currentWeek.previous
        let names = await directory?.recent(waitingAtMost: .milliseconds(1_500))
        var document = try await digests.publishedDocument(
            for: scope, week: week, currentWeek: currentWeek, names: names, now: now())
        // Leaders and ICs are also a side of the leadership digest's expectation gap (and their free text may be
        // in its themes): a team member's receipt shows those sections of the same stored week too.
        if scope != .leadership, let role = membership.flatMap({ RoleLevel(rawValue: $0.roleLevel) }), role != .manager,
            let organisation = try? await digests.publishedDocument(
                for: .leadership, week: week, currentWeek: currentWeek, names: names, now: now())
        {
            document.expectationGap = organisation.expectationGap
            document.themes = organisation.themes
            if organisation.expectationGap != nil { document.sectionOrder.append(.expectationGap) }
            if organisation.themes != nil { document.sectionOrder.append(.themes) }
        }
        let texts = platform.digestTexts(
            DigestDelivery(digestID: "", document: document, link: "(link to the full page)"))
        let team: String? =
            switch scope {
            case .team(let team): team
            case .leadership: nil
            }
        return PrivacyReceipt(
            week: week.description, team: team, anonymityThreshold: digests.settings.k, texts: texts,
            withheldNote: names == nil ? DigestService.withheldNote : nil)
    }
}

/// A person's privacy receipt, for their platform to draw.
struct PrivacyReceipt: Sendable {
    /// The finished week it shows (`2026-W48`).
    var week: String
    /// The person's team; nil when they are in no team digest (the receipt shows the organisation's).
    var team: String?
    /// k: groups with fewer people who answered show no numbers.
    var anonymityThreshold: Int
    /// The digest as the person's platform writes it.
    var texts: DigestTexts
    /// Why quotes are missing, when the directory could not be read.
    var withheldNote: String?
}
