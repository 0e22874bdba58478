import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation
import Logging

/// Digests shown to one person in Slack: the privacy receipt (`/reflect privacy`) and an admin's preview
/// (`/debrief digest preview`). Both show the stored release of a finished week — the same on every request,
/// never a live recomputation of the week in progress, which would let two requests be subtracted.
struct SlackDigestViews: Sendable {
    let digests: DigestService
    let receipts: PrivacyReceipts
    /// A recent copy of the directory, to scrub names from quotes (nil: quotes are left out).
    let directory: DirectoryCache?
    let platform: any ChatPlatform
    let organisationTimeZone: TimeZone
    let logger: Logger
    let now: @Sendable () -> Date

    /// What last week's digest shows (or will show when it is posted) about the person's group.
    func privacyReceipt(for user: PlatformUser) async throws -> JSONValue {
        Self.draw(try await receipts.receipt(for: user))
    }

    /// The receipt as a Slack ephemeral message.
    static func draw(_ receipt: PrivacyReceipt) -> JSONValue {
        let group =
            receipt.team.map { "your team (\(SlackMarkup.escape($0)))" }
            ?? "the whole organisation (you are not in a team digest)"
        let intro =
            "*Your privacy receipt.* This is everything last week's digest (\(receipt.week)) shows about \(group), or "
            + "will show when it is posted. It only ever covers finished weeks, and it is the same every time you ask. "
            + "Groups with fewer than \(receipt.anonymityThreshold) people who answered show no numbers at all; quotes "
            + "appear only when their authors allowed it. Nothing here is about you individually. Colleagues' "
            + "examples (`/reflect ideas` and the digest's \"Try this\") come only from people who chose to share their "
            + "reflection as a quote, with names removed unless they chose to be named; \"Useful\" marks are only "
            + "ever counted, never shown by person."
        return DigestMessage.ephemeral(intro: intro, texts: receipt.texts, note: receipt.withheldNote)
    }

    /// The digest as it would be posted, for the admin's eyes only; last week by default.
    func preview(target: String, week: String?, prompts: PromptLibrary) async -> SlackReply {
        guard let scope = DigestTarget.Scope(key: target) else {
            return SlackDates.ephemeral(
                "`\(SlackMarkup.escape(target))` is not a digest: use `leadership` or `team:<name>`.")
        }
        let weekKey: WeekKey
        if let week {
            guard let parsed = WeekKey(week) else {
                return SlackDates.ephemeral("`\(SlackMarkup.escape(week))` is not an ISO week like 2026-W47.")
            }
            weekKey = parsed
        } else {
            weekKey = WeekKey(containing: now(), in: organisationTimeZone).previous
        }
        let currentWeek = WeekKey(containing: now(), in: organisationTimeZone)
        guard weekKey < currentWeek else {
            return SlackDates.ephemeral(
                "\(weekKey) has not ended yet: previews show finished weeks only, so two previews never differ "
                    + "by who reflected in between. The latest finished week is \(currentWeek.previous).")
        }
        do {
            let names = await directory?.recent(waitingAtMost: .milliseconds(1_500))
            let document = try await digests.publishedDocument(
                for: scope, week: weekKey, currentWeek: currentWeek, names: names, now: now())
            let texts = platform.digestTexts(
                DigestDelivery(digestID: "", document: document, link: "(link to the digest page)"))
            return .json(
                DigestMessage.ephemeral(
                    intro: "*Preview, not posted* (\(SlackMarkup.escape(target)), \(weekKey)):", texts: texts,
                    note: names == nil ? DigestService.withheldNote : nil))
        } catch {
            logger.error("digest preview failed", metadata: ["error": "\(error)"])
            return .json(SlackReplies.somethingWentWrong(prompts: prompts))
        }
    }
}
