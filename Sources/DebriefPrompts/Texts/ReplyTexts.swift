/// Ephemeral answers to `/reflect` and its subcommands.
///
/// Only the person who typed the command sees them, so they can be direct; they still avoid jargon
/// because people who distrust workplace tracking read them closely.
public struct ReplyTexts: Sendable, Equatable {
    /// Lists every subcommand.
    public var help: String
    public var quickStored: QuickStoredTexts
    public var mine: MineTexts
    public var forget: ForgetTexts
    /// Contains `{until}`.
    public var paused: String
    public var resumed: String
    public var stopped: String
    /// Contains `{problem}`: why a one-line reflection was not saved.
    public var quickInvalid: String
    /// The form could not be opened in time.
    public var couldNotOpenForm: String
    /// May contain `{reason}`.
    public var notConfigured: String
    /// Says nothing was lost; shown when the server failed after receiving the request.
    public var somethingWentWrong: String

    public init(
        help: String, quickStored: QuickStoredTexts, mine: MineTexts, forget: ForgetTexts, paused: String,
        resumed: String, stopped: String, quickInvalid: String, couldNotOpenForm: String, notConfigured: String,
        somethingWentWrong: String
    ) {
        self.help = help
        self.quickStored = quickStored
        self.mine = mine
        self.forget = forget
        self.paused = paused
        self.resumed = resumed
        self.stopped = stopped
        self.quickInvalid = quickInvalid
        self.couldNotOpenForm = couldNotOpenForm
        self.notConfigured = notConfigured
        self.somethingWentWrong = somethingWentWrong
    }
}

/// The reply to a one-line `/reflect <text>`.
public struct QuickStoredTexts: Sendable, Equatable {
    public var text: String
    public var details: String
    public var addDetailsButton: String

    public init(text: String, details: String, addDetailsButton: String) {
        self.text = text
        self.details = details
        self.addDetailsButton = addDetailsButton
    }
}

/// The reply to `/reflect mine`.
public struct MineTexts: Sendable, Equatable {
    public var header: String
    public var intro: String
    public var empty: String
    public var dataHeading: String
    public var truncated: String

    public init(header: String, intro: String, empty: String, dataHeading: String, truncated: String) {
        self.header = header
        self.intro = intro
        self.empty = empty
        self.dataHeading = dataHeading
        self.truncated = truncated
    }
}

/// The `/reflect forget` confirmation and its outcomes.
public struct ForgetTexts: Sendable, Equatable {
    public var question: String
    public var confirmButton: String
    public var cancelButton: String
    public var forgotten: String
    public var cancelled: String

    public init(question: String, confirmButton: String, cancelButton: String, forgotten: String, cancelled: String) {
        self.question = question
        self.confirmButton = confirmButton
        self.cancelButton = cancelButton
        self.forgotten = forgotten
        self.cancelled = cancelled
    }
}

/// Messages for each `ReflectCommandProblem`.
public struct CommandProblemTexts: Sendable, Equatable {
    /// `pause` with nothing after it.
    public var pauseMissingLength: String
    /// Contains `{given}`.
    public var pauseNeedsLength: String
    /// Contains `{maximum_days}`.
    public var pauseTooLong: String
    /// May contain `{date}`.
    public var dateInPast: String
    /// Contains `{problem}` (the same sentence the admin API and the configuration give for a bad date,
    /// starting "must be a date like …"); may contain `{given}`.
    public var invalidDate: String
    /// May contain `{subcommand}` and `{given}`.
    public var unexpectedArgument: String

    /// Used when a prompts directory written before `invalid_date` existed does not have it.
    public static let defaultInvalidDate =
        "The date after `until` {problem} For example: `/reflect pause until 2030-01-31`."

    public init(
        pauseMissingLength: String, pauseNeedsLength: String, pauseTooLong: String, dateInPast: String,
        invalidDate: String = CommandProblemTexts.defaultInvalidDate, unexpectedArgument: String
    ) {
        self.pauseMissingLength = pauseMissingLength
        self.pauseNeedsLength = pauseNeedsLength
        self.pauseTooLong = pauseTooLong
        self.dateInPast = dateInPast
        self.invalidDate = invalidDate
        self.unexpectedArgument = unexpectedArgument
    }
}
