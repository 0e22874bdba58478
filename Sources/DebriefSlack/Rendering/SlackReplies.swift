import DebriefCore
import DebriefPrompts
import Foundation

/// Ephemeral answers to `/reflect`, as Slack message JSON.
///
/// Returned as the slash command's HTTP response or posted to its `response_url`; only the invoker
/// sees them. Every sentence comes from `prompts/`; anything that came from a person (their
/// reflection, what they typed) is escaped before it goes into mrkdwn.
public struct SlackReplies: Sendable {
    public let prompts: PromptLibrary

    public init(prompts: PromptLibrary) {
        self.prompts = prompts
    }

    /// The list of subcommands, preceded by what was wrong with the command when there was a problem.
    public func help(problem: ReflectCommandProblem? = nil) -> JSONValue {
        let help = prompts.replies.help
        guard let problem else {
            return BlockKit.ephemeral(text: help, blocks: [BlockKit.section(help)])
        }
        let message = prompts.message(for: Self.escaped(problem))
        return BlockKit.ephemeral(
            text: message, blocks: [BlockKit.section(message), BlockKit.divider, BlockKit.section(help)])
    }

    /// Confirms a one-line reflection and offers to add details in the form.
    ///
    /// The "Add details" button has action id ``SlackActionID/addDetails`` and the reflection id as value.
    public func quickStored(reflectionID: String, text: String) -> JSONValue {
        quickStored(reflectionID: reflectionID, section: quickStoredSection(text))
    }

    /// The first section's mrkdwn: the confirmation, then the reflection quoted (escaped, cut at 2,500).
    func quickStoredSection(_ text: String) -> String {
        prompts.replies.quickStored.text + "\n" + Self.quote(text, limit: 2500)
    }

    /// The confirmation with its first section's mrkdwn given (``QuickStoredReply`` fills in markers).
    func quickStored(reflectionID: String, section: String) -> JSONValue {
        let quick = prompts.replies.quickStored
        let blocks: [JSONValue] = [
            BlockKit.section(section),
            BlockKit.section(quick.details),
            BlockKit.actions(
                blockID: SlackBlockID.quickStoredActions,
                [BlockKit.button(text: quick.addDetailsButton, actionID: SlackActionID.addDetails, value: reflectionID)]
            ),
        ]
        return BlockKit.ephemeral(text: quick.text, blocks: blocks)
    }

    /// Everything stored about the person: a readable summary, then the complete export as JSON.
    ///
    /// The JSON is split into code blocks that respect Slack's per-section limit and stops, with a note,
    /// before the message gets long enough for Slack to reject it (`msg_blocks_too_long`).
    /// - Parameters:
    ///   - export: the person's data as JSON (reflections, preferences).
    ///   - summaryLines: readable lines shown as given (escaped, one per line; add bullets yourself);
    ///     empty means nothing stored.
    public func mine(export: JSONValue, summaryLines: [String]) -> JSONValue {
        let mine = prompts.replies.mine
        var blocks: [JSONValue] = [BlockKit.header(mine.header), BlockKit.context(mine.intro)]
        var truncated = false
        var budget = Self.mineTextBudget
        if summaryLines.isEmpty {
            blocks.append(BlockKit.section(mine.empty))
        } else {
            let lines = summaryLines.map(BlockKit.escape)
            let split = Self.chunks(lines, limit: BlockKit.Limit.sectionText, budget: BlockKit.Limit.sectionText)
            truncated = split.truncated
            for chunk in split.chunks {
                blocks.append(BlockKit.section(chunk))
                budget -= chunk.utf16.count
            }
        }
        blocks.append(BlockKit.section(mine.dataHeading))
        let json = Self.prettyJSON(export)
        let escapedLines = json.split(separator: "\n", omittingEmptySubsequences: false).map {
            BlockKit.escape(String($0))
        }
        let fence = "```"
        let codeLimit = BlockKit.Limit.sectionText - 2 * fence.count
        let split = Self.chunks(escapedLines, limit: codeLimit, budget: max(budget, codeLimit))
        truncated = truncated || split.truncated
        for chunk in split.chunks {
            blocks.append(BlockKit.section(fence + chunk + fence))
        }
        if truncated {
            blocks.append(BlockKit.context(mine.truncated))
        }
        return BlockKit.ephemeral(text: mine.header, blocks: blocks)
    }

    /// A one-line reflection that did not pass validation (too short or too long), with the reason.
    public func invalidQuickReflection(errors: ReflectionValidationErrors) -> JSONValue {
        let problem = errors.problems[.text] ?? errors.problems.values.first ?? .missing
        let text = PromptTemplate.render(prompts.replies.quickInvalid, ["problem": prompts.message(for: problem)])
        return simple(text)
    }

    /// `views.open` failed (usually the 3-second trigger window passed): ask to try again.
    public func couldNotOpenForm() -> JSONValue { simple(prompts.replies.couldNotOpenForm) }

    /// Asks before deleting everything; the buttons are ``SlackActionID/forgetConfirm`` (danger) and
    /// ``SlackActionID/forgetCancel``.
    public func forgetConfirmation() -> JSONValue {
        let forget = prompts.replies.forget
        let blocks: [JSONValue] = [
            BlockKit.section(forget.question),
            BlockKit.actions(
                blockID: SlackBlockID.forgetActions,
                [
                    BlockKit.button(
                        text: forget.confirmButton, actionID: SlackActionID.forgetConfirm, value: "forget",
                        style: .danger),
                    BlockKit.button(text: forget.cancelButton, actionID: SlackActionID.forgetCancel, value: "cancel"),
                ]),
        ]
        return BlockKit.ephemeral(text: forget.question, blocks: blocks)
    }

    /// Confirms the erasure. Marked `replace_original` because it answers the confirmation's button
    /// through `response_url` and should take the place of the question and its buttons.
    public func forgotten() -> JSONValue { Self.replacingOriginal(simple(prompts.replies.forget.forgotten)) }

    /// Confirms nothing was deleted; replaces the confirmation like ``forgotten()``.
    public func forgetCancelled() -> JSONValue { Self.replacingOriginal(simple(prompts.replies.forget.cancelled)) }

    /// - Parameter until: the end of the pause as the person should read it, for example `2030-01-31`.
    public func paused(until: String) -> JSONValue {
        simple(PromptTemplate.render(prompts.replies.paused, ["until": BlockKit.escape(until)]))
    }

    public func resumed() -> JSONValue { simple(prompts.replies.resumed) }

    public func stopped() -> JSONValue { simple(prompts.replies.stopped) }

    /// - Parameter sentence: what is missing, in one sentence for the person (no secrets or ids).
    public func notConfigured(sentence: String) -> JSONValue {
        simple(PromptTemplate.render(prompts.replies.notConfigured, ["reason": BlockKit.escape(sentence)]))
    }

    /// The answer when the server failed; says nothing was lost.
    public func somethingWentWrong() -> JSONValue { simple(prompts.replies.somethingWentWrong) }

    /// The same message marked to replace the one whose button was clicked (for `response_url` posts).
    public static func replacingOriginal(_ message: JSONValue) -> JSONValue {
        guard case .object(var object) = message else { return message }
        object["replace_original"] = true
        return .object(object)
    }

    /// Deletes the message whose button was clicked (for `response_url` posts).
    public static let deleteOriginal: JSONValue = ["delete_original": true]

    // MARK: - Helpers

    private func simple(_ text: String) -> JSONValue {
        BlockKit.ephemeral(text: text, blocks: [BlockKit.section(text)])
    }

    /// A problem whose echoed values are safe to put into mrkdwn.
    static func escaped(_ problem: ReflectCommandProblem) -> ReflectCommandProblem {
        func clean(_ value: String) -> String { BlockKit.escape(BlockKit.truncate(value, to: 200)) }
        switch problem {
        case .pauseNeedsLength(let given): return .pauseNeedsLength(given: clean(given))
        case .pauseTooLong: return problem
        case .dateInPast(let date): return .dateInPast(clean(date))
        case .invalidDate(let given, let problem): return .invalidDate(given: clean(given), problem: clean(problem))
        case .unexpectedArgument(let subcommand, let given):
            return .unexpectedArgument(subcommand: clean(subcommand), given: clean(given))
        }
    }

    /// A person's text as an mrkdwn block quote, escaped and cut to `limit`: every line (a `"\n"` character; a
    /// `"\r\n"` pair is one character and does not start a line) begins with `>`.
    ///
    /// Escaped whole and then prefixed line by line, in one pass over the characters: escaping does not touch line
    /// breaks, so this is the same text as splitting into lines, escaping and joining them, without a string per
    /// line (it runs on every `/reflect`).
    package static func quote(_ text: String, limit: Int) -> String {
        let escaped = BlockKit.escape(BlockKit.truncate(text.trimmingWhitespace(), to: limit))
        var quoted = ">"
        quoted.reserveCapacity(escaped.utf8.count + 8)
        for character in escaped {
            quoted.append(character)
            if character == "\n" { quoted.append(">") }
        }
        return quoted
    }

    /// Slack starts rejecting messages (`msg_blocks_too_long`) somewhere above 12,000 characters of
    /// block text; the summary and the data of `/reflect mine` share this budget.
    static let mineTextBudget = 10_500

    /// Joins lines into texts of at most `limit` UTF-16 units each, using at most `budget` units in
    /// total; over-long single lines are cut. Reports whether anything was left out.
    static func chunks(_ lines: [String], limit: Int, budget: Int) -> (chunks: [String], truncated: Bool) {
        var chunks: [String] = []
        var current = ""
        var currentCount = 0
        var used = 0
        for rawLine in lines {
            let line = rawLine.utf16.count > limit ? BlockKit.truncate(rawLine, to: limit) : rawLine
            let size = line.utf16.count + (current.isEmpty ? 0 : 1)
            if used + size > budget {
                if !current.isEmpty { chunks.append(current) }
                return (chunks, true)
            }
            if currentCount + size > limit {
                chunks.append(current)
                current = line
                currentCount = line.utf16.count
                used += line.utf16.count
            } else {
                if !current.isEmpty { current += "\n" }
                current += line
                currentCount += size
                used += size
            }
        }
        if !current.isEmpty || chunks.isEmpty { chunks.append(current) }
        return (chunks, false)
    }

    static func prettyJSON(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The same replies as static functions taking the prompts, for call sites that hold a `PromptLibrary`
/// rather than a ``SlackReplies``.
extension SlackReplies {
    public static func help(prompts: PromptLibrary, problem: ReflectCommandProblem? = nil) -> JSONValue {
        SlackReplies(prompts: prompts).help(problem: problem)
    }

    public static func quickStored(prompts: PromptLibrary, reflectionID: String, text: String) -> JSONValue {
        SlackReplies(prompts: prompts).quickStored(reflectionID: reflectionID, text: text)
    }

    public static func invalidQuickReflection(prompts: PromptLibrary, errors: ReflectionValidationErrors) -> JSONValue {
        SlackReplies(prompts: prompts).invalidQuickReflection(errors: errors)
    }

    /// - Parameter export: nil when nothing at all is stored for the person.
    public static func mine(prompts: PromptLibrary, export: JSONValue?, summaryLines: [String]) -> JSONValue {
        let replies = SlackReplies(prompts: prompts)
        guard let export else {
            let mine = prompts.replies.mine
            return BlockKit.ephemeral(
                text: mine.empty,
                blocks: [BlockKit.header(mine.header), BlockKit.context(mine.intro), BlockKit.section(mine.empty)])
        }
        return replies.mine(export: export, summaryLines: summaryLines)
    }

    public static func forgetConfirmation(prompts: PromptLibrary) -> JSONValue {
        SlackReplies(prompts: prompts).forgetConfirmation()
    }

    public static func forgotten(prompts: PromptLibrary) -> JSONValue { SlackReplies(prompts: prompts).forgotten() }

    public static func forgetCancelled(prompts: PromptLibrary) -> JSONValue {
        SlackReplies(prompts: prompts).forgetCancelled()
    }

    public static func paused(prompts: PromptLibrary, until: String) -> JSONValue {
        SlackReplies(prompts: prompts).paused(until: until)
    }

    public static func resumed(prompts: PromptLibrary) -> JSONValue { SlackReplies(prompts: prompts).resumed() }

    public static func stopped(prompts: PromptLibrary) -> JSONValue { SlackReplies(prompts: prompts).stopped() }

    public static func notConfigured(prompts: PromptLibrary, sentence: String) -> JSONValue {
        SlackReplies(prompts: prompts).notConfigured(sentence: sentence)
    }

    public static func couldNotOpenForm(prompts: PromptLibrary) -> JSONValue {
        SlackReplies(prompts: prompts).couldNotOpenForm()
    }

    public static func somethingWentWrong(prompts: PromptLibrary) -> JSONValue {
        SlackReplies(prompts: prompts).somethingWentWrong()
    }
}
