import DebriefCore
import DebriefPrompts
import Foundation

/// Every sentence and label Debrief shows in Teams, loaded from `prompts/teams/`.
///
/// Teams gets its own files, not Slack's, because the wording differs where it matters (commands are plain
/// messages such as **mine** rather than `/reflect mine`; Teams markdown uses `**bold**`), while the
/// *content* stays the same as Slack's: the same form fields and choices from the core vocabularies, the
/// same consent levels and promises, the same replies. The shared parts reuse DebriefPrompts' value types
/// (``ModalTexts``, ``OptionTexts``, ``ReplyTexts``, ``NudgeMessageTexts``…), so ``library`` can hand them to
/// code written for a ``PromptLibrary``. Loading validates everything up front, like the Slack texts, so a
/// typo fails at start-up with file, line and key rather than breaking a card at 9 am.
public struct TeamsTexts: Sendable, Equatable {
    public var form: TeamsFormTexts
    public var replies: ReplyTexts
    public var commandProblems: CommandProblemTexts
    public var privacy: TeamsPrivacyTexts
    public var cardProblems: TeamsCardProblemTexts
    public var admin: TeamsAdminTexts
    public var digest: TeamsDigestTexts
    /// The card sent on installation: what Debrief keeps and who sees what (Slack's Home tab).
    public var welcome: HomeTexts
    /// The words around a nudge, per locale code; always has ``NudgeLocale/fallback``.
    public var nudges: [String: NudgeMessageTexts]
    /// The Respond action on the leadership digest and its form (issue #13).
    public var respond: TeamsRespondTexts

    public init(
        form: TeamsFormTexts, replies: ReplyTexts, commandProblems: CommandProblemTexts, privacy: TeamsPrivacyTexts,
        cardProblems: TeamsCardProblemTexts, admin: TeamsAdminTexts, digest: TeamsDigestTexts, welcome: HomeTexts,
        nudges: [String: NudgeMessageTexts], respond: TeamsRespondTexts = TeamsRespondTexts()
    ) {
        self.form = form
        self.replies = replies
        self.commandProblems = commandProblems
        self.privacy = privacy
        self.cardProblems = cardProblems
        self.admin = admin
        self.digest = digest
        self.welcome = welcome
        self.nudges = nudges
        self.respond = respond
    }

    /// The form, its choices, its error messages and the thanks.
    public static let reflectFile = "teams/reflect.yaml"
    /// Answers to the chat commands and card buttons, the privacy receipt's intro.
    public static let repliesFile = "teams/replies.yaml"
    /// The words around a nudge, per language.
    public static let nudgesFile = "teams/nudges.yaml"
    /// Answers to the admin commands.
    public static let adminFile = "teams/admin.yaml"
    /// The digest card's button and the reply's title.
    public static let digestFile = "teams/digest.yaml"
    /// The card sent on installation.
    public static let welcomeFile = "teams/welcome.yaml"
    /// The Respond button on the leadership digest and the form leaders fill in (issue #13).
    public static let respondFile = "teams/respond.yaml"
    /// Every file ``load(from:requiredNudgeLocales:)`` reads, relative to the prompts directory.
    public static let files = [reflectFile, repliesFile, nudgesFile, adminFile, digestFile, welcomeFile, respondFile]

    /// Loads and validates the Teams texts under `promptsDirectory` (the `prompts/` folder itself).
    ///
    /// - Parameter requiredNudgeLocales: the languages the nudge questions exist in (`prompts/nudges/`);
    ///   each needs a section in `teams/nudges.yaml`, so a German question never comes with English buttons.
    /// - Throws: ``PromptError`` listing every problem in every file, each with file, line and dotted key.
    public static func load(from promptsDirectory: URL, requiredNudgeLocales: Set<String> = [])
        throws(PromptError) -> TeamsTexts
    {
        let readers = files.map { PromptFileReader(file: $0, platform: "Teams") }
        let (reflect, replies, nudges, admin, digest, welcome) = (
            readers[0], readers[1], readers[2], readers[3], readers[4], readers[5]
        )
        let form = TeamsReflectFileParser.parse(reflect.open(directory: promptsDirectory), reader: reflect)
        let answers = TeamsRepliesFileParser.parse(replies.open(directory: promptsDirectory), reader: replies)
        let nudgeRoot = nudges.open(directory: promptsDirectory)
        let nudgeTexts = NudgeMessageFileParser.parse(nudgeRoot, reader: nudges, buttonLimit: TeamsTextLimits.button)
        for code in requiredNudgeLocales.sorted() where !nudgeTexts.declared.contains(code) && nudgeRoot != nil {
            nudges.record(
                line: nil, key: code,
                "is missing; the nudge questions in prompts/nudges/ exist in this language, so add a `\(code):` section"
            )
        }
        let adminTexts = TeamsAdminFileParser.parse(admin.open(directory: promptsDirectory), reader: admin)
        let digestTexts = TeamsDigestFileParser.parse(digest.open(directory: promptsDirectory), reader: digest)
        let welcomeTexts = TeamsWelcomeFileParser.parse(welcome.open(directory: promptsDirectory), reader: welcome)
        let respondTexts = TeamsRespondFileParser.parse(
            readers[6].open(directory: promptsDirectory), reader: readers[6])
        let issues = readers.flatMap(\.issues)
        guard issues.isEmpty else { throw PromptError(issues: issues) }
        return TeamsTexts(
            form: form, replies: answers.replies, commandProblems: answers.commandProblems, privacy: answers.privacy,
            cardProblems: answers.cardProblems, admin: adminTexts, digest: digestTexts, welcome: welcomeTexts,
            nudges: nudgeTexts.texts, respond: respondTexts)
    }

    /// The words around a nudge for a person's locale (`de-DE` → `de` → `en`).
    public func nudgeTexts(locale: String?) -> NudgeMessageTexts {
        let code = NudgeLocale.resolve(locale, available: Set(nudges.keys))
        return nudges[code] ?? nudges[NudgeLocale.fallback]
            ?? NudgeMessageTexts(
                reflectButton: "Reflect", snoozeButton: "Snooze 1 day", skipButton: "Not this one", context: "",
                thanked: "Thanks.", snoozed: "Snoozed.", skipped: "Skipped.")
    }

    /// The Teams texts as a ``PromptLibrary``, for code that takes one (validation messages through
    /// ``PromptLibrary/message(for:)-(ReflectionFieldProblem)``, command problems). `modal.close` and
    /// `thanks.close` are empty: a card has no close button.
    public var library: PromptLibrary {
        PromptLibrary(
            modal: form.modal, options: form.options, thanks: form.thanks, validation: form.validation,
            replies: replies, commandProblems: commandProblems, home: welcome)
    }
}

/// The reflection form's words in Teams: the same field texts, choices and validation sentences as Slack's
/// (DebriefPrompts types), plus the line shown above a form that came back with errors.
public struct TeamsFormTexts: Sendable, Equatable {
    /// Title, submit label, intro and per-field label / placeholder / hint (`close` is unused: empty).
    public var modal: ModalTexts
    public var options: OptionTexts
    /// Replaces the form after a save (`close` is unused: empty).
    public var thanks: ThanksTexts
    public var validation: ValidationTexts
    /// Shown above a form that came back with errors.
    public var errorSummary: String

    public init(
        modal: ModalTexts, options: OptionTexts, thanks: ThanksTexts, validation: ValidationTexts, errorSummary: String
    ) {
        self.modal = modal
        self.options = options
        self.thanks = thanks
        self.validation = validation
        self.errorSummary = errorSummary
    }
}

/// The privacy receipt's words (`privacy`): the intro above the digest it describes.
public struct TeamsPrivacyTexts: Sendable, Equatable {
    /// Contains `{week}`, `{group}` and `{k}`.
    public var intro: String
    /// Contains `{team}`.
    public var groupTeam: String
    public var groupOrganisation: String
    public var notConfigured: String

    public init(intro: String, groupTeam: String, groupOrganisation: String, notConfigured: String) {
        self.intro = intro
        self.groupTeam = groupTeam
        self.groupOrganisation = groupOrganisation
        self.notConfigured = notConfigured
    }
}

/// What a person is told when a card button cannot be used.
public struct TeamsCardProblemTexts: Sendable, Equatable {
    /// The card refers to something that no longer exists (an answered nudge, a deleted reflection).
    public var outdated: String
    /// The card sent something Debrief cannot read.
    public var unreadable: String

    public init(outdated: String, unreadable: String) {
        self.outdated = outdated
        self.unreadable = unreadable
    }
}

/// Answers to the admin commands (`debrief training …`, `debrief digest preview …`).
public struct TeamsAdminTexts: Sendable, Equatable {
    public var help: String
    public var notAdmin: String
    public var notAvailable: String
    /// Contains `{title}`.
    public var trainingRegistered: String
    /// Contains `{reason}`.
    public var trainingRejected: String
    /// Contains `{problem}`; the help follows it.
    public var usageProblem: String
    public var noTrainings: String

    public init(
        help: String, notAdmin: String, notAvailable: String, trainingRegistered: String, trainingRejected: String,
        usageProblem: String, noTrainings: String
    ) {
        self.help = help
        self.notAdmin = notAdmin
        self.notAvailable = notAvailable
        self.trainingRegistered = trainingRegistered
        self.trainingRejected = trainingRejected
        self.usageProblem = usageProblem
        self.noTrainings = noTrainings
    }
}

/// The digest card's own words; the digest itself comes from `prompts/digests/`.
public struct TeamsDigestTexts: Sendable, Equatable {
    /// The button to the signed digest page.
    public var openButton: String
    /// The title of the reply with every section.
    public var detailsTitle: String
    /// Said in a team's channel when Debrief is added to it; `{channel_id}` is the id that makes the channel a
    /// digest target.
    public var channelAdded: String

    public init(openButton: String, detailsTitle: String, channelAdded: String = "") {
        self.openButton = openButton
        self.detailsTitle = detailsTitle
        self.channelAdded = channelAdded
    }
}
