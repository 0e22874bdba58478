import Foundation

/// Every nudge sequence in `prompts/nudges/` and the Slack DM texts around a nudge
/// (`prompts/slack/nudges.yaml`), loaded and validated together.
///
/// Nudges are the only texts Debrief sends unasked, days after a training, so they get the strictest
/// checks: every text short, warm and in every language the sequence offers, offsets in order, and no
/// placeholder that could leak a name. Loading fails with every problem at once (file, line, key) so
/// `serve` can refuse to start instead of sending a broken question to a whole cohort.
public struct NudgeLibrary: Sendable, Equatable {
    /// Sequences by id (the file name without `.yaml`).
    public let sequences: [String: NudgeSequenceTexts]
    /// DM texts by locale code; always contains ``NudgeLocale/fallback``.
    public let messages: [String: NudgeMessageTexts]

    /// - Parameters:
    ///   - english: the DM texts in `en`, the fallback for every other language.
    ///   - translations: DM texts in other locale codes.
    public init(
        sequences: [NudgeSequenceTexts], english: NudgeMessageTexts, translations: [String: NudgeMessageTexts] = [:]
    ) {
        var bySequence: [String: NudgeSequenceTexts] = [:]
        for sequence in sequences { bySequence[sequence.id] = sequence }
        self.sequences = bySequence
        var messages = translations
        messages[NudgeLocale.fallback] = english
        self.messages = messages
    }

    /// The folder of sequence files, relative to the prompts directory.
    public static let directoryName = "nudges"
    /// The Slack DM texts, relative to the prompts directory.
    public static let messageFile = "slack/nudges.yaml"
    /// The sequence a training gets when it names none; its file must exist.
    public static let defaultSequenceID = "default"
    /// The placeholders nudge texts may use. There is deliberately no name: Debrief does not store names.
    public static let placeholders: Set<String> = NudgeTextCheck.placeholders
    /// The longest wording or reminder, in characters.
    public static let wordingLimit = NudgeSequenceFileParser.wordingLimit

    /// Loads `nudges/*.yaml` and `slack/nudges.yaml` under `directory` (the `prompts/` folder itself).
    ///
    /// - Throws: ``PromptError`` listing every problem in every file, each with file, line and key.
    public static func load(from directory: URL) throws(PromptError) -> NudgeLibrary {
        var issues: [PromptIssue] = []
        let listing = sequenceFiles(in: directory)
        issues += listing.issues
        var sequences: [NudgeSequenceTexts] = []
        var localeSites: [(file: String, code: String, line: Int?, key: String)] = []
        for id in listing.ids {
            let reader = PromptFileReader(file: directoryName + "/" + id + ".yaml")
            let parsed = NudgeSequenceFileParser.parse(reader.open(directory: directory), id: id, reader: reader)
            issues += reader.issues
            if let sequence = parsed.sequence { sequences.append(sequence) }
            for (code, site) in parsed.localeSites.sorted(by: { $0.key < $1.key }) {
                localeSites.append((reader.file, code, site.line, site.key))
            }
        }

        let messageReader = PromptFileReader(file: messageFile)
        let parsedMessages = NudgeMessageFileParser.parse(
            messageReader.open(directory: directory), reader: messageReader)
        let messages = parsedMessages.texts
        issues += messageReader.issues
        let messageFileRead = !messageReader.issues.contains { $0.key == nil }
        if messageFileRead {
            for site in localeSites where !parsedMessages.declared.contains(site.code) {
                issues.append(
                    PromptIssue(
                        file: site.file, line: site.line, key: site.key,
                        message: "has no buttons in prompts/\(messageFile); add a `\(site.code):` section there so"
                            + " these nudges don't come with buttons in another language"))
            }
        }

        guard issues.isEmpty, let english = messages[NudgeLocale.fallback] else {
            if issues.isEmpty {
                issues.append(
                    PromptIssue(
                        file: messageFile, line: nil, key: NudgeLocale.fallback,
                        message: "is missing or incomplete; add an `en:` section with every text"))
            }
            throw PromptError(issues: issues)
        }
        var translations = messages
        translations[NudgeLocale.fallback] = nil
        return NudgeLibrary(sequences: sequences, english: english, translations: translations)
    }

    /// The sequence called `id`, if `prompts/nudges/<id>.yaml` defines it.
    public func sequence(_ id: String) -> NudgeSequenceTexts? {
        sequences[id]
    }

    /// The DM texts for a person's locale, falling back to English.
    public func messageTexts(locale: String?) -> NudgeMessageTexts {
        let code = NudgeLocale.resolve(locale, available: Set(messages.keys))
        if let texts = messages[code] { return texts }
        if let english = messages[NudgeLocale.fallback] { return english }
        // `init` always stores English; this is unreachable but keeps the API total.
        return NudgeMessageTexts(
            reflectButton: "", snoozeButton: "", skipButton: "", context: "", thanked: "", snoozed: "", skipped: "")
    }

    /// The finished text of one nudge, as plain text (renderers escape it for their markup).
    ///
    /// - Parameters:
    ///   - sequence: the sequence id stored with the planned nudge.
    ///   - stage: the stage id stored with the planned nudge.
    ///   - locale: the person's locale (`de`, `de-AT`); unknown or nil falls back to `en`.
    ///   - pseudonym: picks the wording (see ``NudgeRotation``); never pass the platform user id.
    ///   - trainingTitle: fills `{training_title}`; line breaks become spaces.
    ///   - daysSince: calendar days since the training ended on the person's own clock (not 24-hour
    ///     periods; see `TimeZone.calendarDays(from:to:)`), fills `{days_since}`.
    ///   - kind: the nudge or its single reminder.
    ///   - attempt: how many earlier trainings already sent this person this sequence.
    /// - Throws: ``NudgeLookupError`` when the sequence or stage no longer exists.
    public func text(
        sequence sequenceID: String, stage stageID: String, locale: String?, pseudonym: String, trainingTitle: String,
        daysSince: Int, kind: NudgeTextKind, attempt: Int = 0
    ) throws(NudgeLookupError) -> String {
        guard let sequence = sequences[sequenceID] else {
            throw .unknownSequence(sequenceID, known: sequences.keys.sorted())
        }
        guard sequence.stage(stageID) != nil else {
            throw .unknownStage(sequence: sequenceID, stage: stageID, known: sequence.stages.map(\.id))
        }
        let template: String?
        switch kind {
        case .primary:
            template = sequence.wording(for: stageID, pseudonym: pseudonym, attempt: attempt, locale: locale)
        case .reminder:
            template = sequence.reminder(for: stageID, locale: locale)
        }
        guard let template else { throw .missingText(sequence: sequenceID, stage: stageID, kind: kind) }
        let title = trainingTitle.split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        return PromptTemplate.render(template, ["training_title": title, "days_since": String(max(0, daysSince))])
    }

    /// The sequence ids in `prompts/nudges/`, with problems about the folder's files themselves.
    static func sequenceFiles(in directory: URL) -> (ids: [String], issues: [PromptIssue]) {
        let folder = directory.appendingPathComponent(directoryName, isDirectory: true)
        var issues: [PromptIssue] = []
        var names: [String] = []
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            names = []
        }
        var ids: [String] = []
        for name in names where !name.hasPrefix(".") {
            let file = directoryName + "/" + name
            if name.hasSuffix(".yml") {
                issues.append(
                    PromptIssue(
                        file: file, line: nil, key: nil,
                        message: "ends in .yml; rename it to \(name.dropLast(4)).yaml so Debrief reads it"))
                continue
            }
            guard name.hasSuffix(".yaml") else { continue }
            let id = String(name.dropLast(5))
            guard NudgeSequenceFileParser.isValidID(id) else {
                issues.append(
                    PromptIssue(
                        file: file, line: nil, key: nil,
                        message: "has a name Debrief cannot use: the file name is the sequence id, so use only"
                            + " lowercase letters, digits, - and _ (languages go in sections such as `de:` inside"
                            + " the file, not in separate files)"))
                continue
            }
            ids.append(id)
        }
        if !ids.contains(defaultSequenceID) {
            issues.append(
                PromptIssue(
                    file: directoryName + "/" + defaultSequenceID + ".yaml", line: nil, key: nil,
                    message: "is missing; Debrief uses the `\(defaultSequenceID)` sequence for every training that"
                        + " names none, so it should exist at \(folder.path)/\(defaultSequenceID).yaml"))
        }
        return (ids, issues)
    }
}
