import DebriefCore
import DebriefPrompts
import Foundation

/// Debrief's answers in a person's Teams 1:1 chat, as small Adaptive Cards: to the chat commands
/// (`reflect …`, `help`, `mine`, `forget`, `pause`, `resume`, `stop`, `privacy`), to card buttons, and to
/// the admin commands.
///
/// The Teams counterpart of Slack's `SlackReplies`, with the same answers. Every sentence comes from
/// `prompts/teams/`; anything that came from a person (their reflection, what they typed, a training title)
/// is escaped with ``TeamsMarkup/escape(_:)`` or shown as a `TextRun`, so it cannot format, link or mention.
/// Send a reply as the attachment of a `message` activity, or return it as the invoke response's card
/// (``TeamsInvokeResponse/card(_:)``) when it answers a button.
public struct TeamsReplies: Sendable {
    public let texts: TeamsTexts

    public init(texts: TeamsTexts) {
        self.texts = texts
    }

    /// The list of commands, preceded by what was wrong with the command when there was a problem.
    public func help(problem: ReflectCommandProblem? = nil) -> JSONValue {
        let help = texts.replies.help
        guard let problem else { return simple(help) }
        let message = texts.library.message(for: Self.escaped(problem))
        return AdaptiveCard.card(
            body: [AdaptiveCard.text(message, color: "Attention"), AdaptiveCard.text(help, spacing: "Medium")],
            fallbackText: message)
    }

    /// Confirms a one-line reflection, quotes it, and offers "Add details" (verb ``TeamsCardVerb/openForm``,
    /// data ``TeamsCardData/reflectionID``).
    public func quickStored(reflectionID: String, text: String) -> JSONValue {
        let quick = texts.replies.quickStored
        let quote = TeamsMarkup.truncate(text.trimmingCharacters(in: .whitespacesAndNewlines), to: Self.quoteLimit)
        return AdaptiveCard.card(
            body: [
                AdaptiveCard.text(quick.text), AdaptiveCard.plain(quote, italic: true),
                AdaptiveCard.text(quick.details),
            ],
            actions: [
                AdaptiveCard.execute(
                    title: quick.addDetailsButton, verb: .openForm,
                    data: [TeamsCardData.reflectionID: .string(reflectionID)])
            ],
            fallbackText: quick.text)
    }

    /// A one-line reflection that did not pass validation (too short or too long), with the reason.
    public func invalidQuickReflection(errors: ReflectionValidationErrors) -> JSONValue {
        let problem = errors.problems[.text] ?? errors.problems.values.first ?? .missing
        return simple(
            PromptTemplate.render(texts.replies.quickInvalid, ["problem": texts.library.message(for: problem)]))
    }

    /// Everything stored about the person: a readable summary, then the complete export as JSON.
    ///
    /// Both are shown as `TextRun`s (never Markdown). The card stops, with a note, before it gets larger
    /// than ``AdaptiveCard/sizeBudget``.
    /// - Parameters:
    ///   - export: the person's data as JSON; nil when nothing at all is stored.
    ///   - summaryLines: readable lines shown as given, one per line; empty means nothing stored.
    public func mine(export: JSONValue?, summaryLines: [String]) -> JSONValue {
        let mine = texts.replies.mine
        var body: [JSONValue] = [
            AdaptiveCard.text(mine.header, size: "Medium", weight: "Bolder"),
            AdaptiveCard.text(mine.intro, subtle: true),
        ]
        guard let export else {
            body.append(AdaptiveCard.text(mine.empty))
            return AdaptiveCard.card(body: body, fallbackText: mine.empty)
        }
        var budget = Self.mineDataBudget
        var truncated = false
        if summaryLines.isEmpty {
            body.append(AdaptiveCard.text(mine.empty))
        } else {
            let kept = Self.fitting(summaryLines.map(TeamsMarkup.oneLine), budget: Self.mineDataBudget / 4)
            truncated = kept.lines.count < summaryLines.count
            budget -= kept.bytes
            body.append(AdaptiveCard.plain(kept.lines.joined(separator: "\n")))
        }
        body.append(AdaptiveCard.text(mine.dataHeading, weight: "Bolder"))
        let lines = Self.prettyJSON(export).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let kept = Self.fitting(lines, budget: budget)
        truncated = truncated || kept.lines.count < lines.count
        body.append(AdaptiveCard.plain(kept.lines.joined(separator: "\n"), size: "Small", monospace: true))
        if truncated { body.append(AdaptiveCard.text(mine.truncated, subtle: true)) }
        return AdaptiveCard.card(body: body, fallbackText: mine.header)
    }

    /// Asks before deleting everything: "Yes, delete everything" (``TeamsCardVerb/confirmForget``) and
    /// "No, keep it" (``TeamsCardVerb/cancelForget``).
    public func forgetConfirmation() -> JSONValue {
        let forget = texts.replies.forget
        return AdaptiveCard.card(
            body: [AdaptiveCard.text(forget.question)],
            actions: [
                AdaptiveCard.execute(title: forget.confirmButton, verb: .confirmForget),
                AdaptiveCard.execute(title: forget.cancelButton, verb: .cancelForget),
            ],
            fallbackText: forget.question)
    }

    /// Confirms the erasure; replaces the confirmation card.
    public func forgotten() -> JSONValue { simple(texts.replies.forget.forgotten) }

    /// Confirms nothing was deleted; replaces the confirmation card.
    public func forgetCancelled() -> JSONValue { simple(texts.replies.forget.cancelled) }

    /// - Parameter until: the end of the pause as the person should read it, for example `2030-01-31`.
    public func paused(until: String) -> JSONValue {
        simple(PromptTemplate.render(texts.replies.paused, ["until": TeamsMarkup.escape(until)]))
    }

    public func resumed() -> JSONValue { simple(texts.replies.resumed) }

    public func stopped() -> JSONValue { simple(texts.replies.stopped) }

    /// - Parameter sentence: what is missing, in one sentence for the person (no secrets or ids).
    public func notConfigured(sentence: String) -> JSONValue {
        simple(PromptTemplate.render(texts.replies.notConfigured, ["reason": TeamsMarkup.escape(sentence)]))
    }

    /// The form could not be shown.
    public func couldNotOpenForm() -> JSONValue { simple(texts.replies.couldNotOpenForm) }

    /// The answer when the server failed; says nothing was lost.
    public func somethingWentWrong() -> JSONValue { simple(texts.replies.somethingWentWrong) }

    /// A card button refers to something that no longer exists (an answered nudge, an erased reflection).
    public func cardOutdated() -> JSONValue { simple(texts.cardProblems.outdated) }

    /// A nudge button whose nudge is gone (answered on another device, cancelled by `stop`, erased by
    /// `forget`): the same answer as ``cardOutdated()``.
    public func nudgeGone() -> JSONValue { cardOutdated() }

    /// A card sent something Debrief could not read. The error goes to the logs, never to the person: its
    /// wording is for operators.
    public func cardProblem(_ error: TeamsCardActionError) -> JSONValue { simple(texts.cardProblems.unreadable) }

    /// The privacy receipt: the intro, then the digest it describes (main text and details), then `note`.
    ///
    /// - Parameters:
    ///   - week: the ISO week, for example `2026-W47`.
    ///   - team: the person's team, or nil when the receipt is about the whole organisation.
    ///   - anonymityThreshold: the smallest group that shows numbers (k).
    ///   - texts: the digest's texts, rendered with ``TeamsMarkup/markup``.
    ///   - note: an extra line from Debrief (for example why quotes were withheld); escaped here.
    public func privacyReceipt(
        week: String, team: String?, anonymityThreshold: Int, texts digest: DigestTexts, note: String? = nil
    ) -> JSONValue {
        let privacy = texts.privacy
        let group =
            team.map { PromptTemplate.render(privacy.groupTeam, ["team": TeamsMarkup.escape(TeamsMarkup.oneLine($0))]) }
            ?? privacy.groupOrganisation
        let intro = PromptTemplate.render(
            privacy.intro, ["week": TeamsMarkup.escape(week), "group": group, "k": String(anonymityThreshold)])
        var body: [JSONValue] = [AdaptiveCard.text(intro)]
        body += DigestCard.paragraphs(digest.main, separated: true)
        body += DigestCard.paragraphs(digest.details, separated: true)
        if let note { body.append(AdaptiveCard.text(TeamsMarkup.escape(note), subtle: true)) }
        return AdaptiveCard.card(body: DigestCard.fitting(body), fallbackText: TeamsMarkup.oneLine(intro))
    }

    /// `privacy` when digests are not set up.
    public func privacyNotConfigured() -> JSONValue { simple(texts.privacy.notConfigured) }

    // MARK: - Admin

    /// The admin commands, preceded by what was wrong with the command when there was a problem.
    ///
    /// - Parameter problem: the sentence from the admin command parser; it echoes what the admin typed, so
    ///   it is escaped here.
    public func adminHelp(problem: String? = nil) -> JSONValue {
        guard let problem else { return simple(texts.admin.help) }
        let message = PromptTemplate.render(
            texts.admin.usageProblem, ["problem": TeamsMarkup.escape(TeamsMarkup.truncate(problem, to: 500))])
        return AdaptiveCard.card(
            body: [AdaptiveCard.text(message, color: "Attention"), AdaptiveCard.text(texts.admin.help)],
            fallbackText: message)
    }

    public func adminOnly() -> JSONValue { simple(texts.admin.notAdmin) }

    public func trainingsNotAvailable() -> JSONValue { simple(texts.admin.notAvailable) }

    public func noTrainings() -> JSONValue { simple(texts.admin.noTrainings) }

    /// A training was registered; `title` is the admin's own text.
    public func trainingRegistered(title: String) -> JSONValue {
        let title = TeamsMarkup.escape(TeamsMarkup.truncate(TeamsMarkup.oneLine(title), to: NudgeCard.titleLimit))
        return simple(PromptTemplate.render(texts.admin.trainingRegistered, ["title": title]))
    }

    /// A training was refused; `reason` says why (it may echo what the admin typed, so it is escaped).
    public func trainingRejected(reason: String) -> JSONValue {
        simple(
            PromptTemplate.render(
                texts.admin.trainingRejected, ["reason": TeamsMarkup.escape(TeamsMarkup.truncate(reason, to: 500))]))
    }

    /// Lines the server wrote (a training list, a resolution report) with every value already escaped with
    /// ``TeamsMarkup/escape(_:)``; cut to fit one card.
    public func lines(_ lines: [String]) -> JSONValue {
        let kept = Self.fitting(lines, budget: Self.mineDataBudget)
        return simple(kept.lines.joined(separator: "\n\n"))
    }

    // MARK: - Helpers

    private func simple(_ markdown: String) -> JSONValue {
        AdaptiveCard.card(body: [AdaptiveCard.text(markdown)], fallbackText: TeamsMarkup.oneLine(markdown))
    }

    /// The longest quote of a quick reflection (the text itself is at most 3000 characters).
    static let quoteLimit = 3_000

    /// Bytes of compact card JSON `mine` spends on the person's data; the labels around it stay far below
    /// the rest of ``AdaptiveCard/sizeBudget``.
    static let mineDataBudget = 16_000

    /// The leading lines whose JSON-encoded size (UTF-8, with escapes) fits `budget` bytes.
    static func fitting(_ lines: [String], budget: Int) -> (lines: [String], bytes: Int) {
        var kept: [String] = []
        var used = 0
        for line in lines {
            let size = encodedSize(line) + 2
            if used + size > budget { break }
            kept.append(line)
            used += size
        }
        return (kept, used)
    }

    /// The UTF-8 size of `text` inside a JSON string (quotes, backslashes and control characters escaped).
    static func encodedSize(_ text: String) -> Int {
        var size = 0
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\", "\n", "\r", "\t": size += 2
            default: size += scalar.value < 0x20 ? 6 : String(scalar).utf8.count
            }
        }
        return size
    }

    static func prettyJSON(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A problem whose echoed values are safe to put into Teams Markdown.
    static func escaped(_ problem: ReflectCommandProblem) -> ReflectCommandProblem {
        func clean(_ value: String) -> String { TeamsMarkup.escape(TeamsMarkup.truncate(value, to: 200)) }
        switch problem {
        case .pauseNeedsLength(let given): return .pauseNeedsLength(given: clean(given))
        case .pauseTooLong: return problem
        case .dateInPast(let date): return .dateInPast(clean(date))
        case .invalidDate(let given, let problem): return .invalidDate(given: clean(given), problem: clean(problem))
        case .unexpectedArgument(let subcommand, let given):
            return .unexpectedArgument(subcommand: clean(subcommand), given: clean(given))
        }
    }
}
