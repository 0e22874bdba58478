import Foundation

/// What a leader filled in on the Respond form, before it is checked: the same on Slack (a modal) and Teams
/// (an Adaptive Card), so both refuse the same things with the same words.
public struct LeaderResponseForm: Sendable, Equatable {
    /// What will change; required.
    public var text: String?
    /// The theme keys ticked (``ResponseTheme/key``).
    public var themeKeys: [String]
    /// `all` or `teams`; nil counts as `all` when no team is named, else as `teams`.
    public var audienceChoice: String?
    /// Teams named (a multi-select, or typed separated by commas on platforms without one).
    public var teams: [String]

    public init(text: String?, themeKeys: [String], audienceChoice: String?, teams: [String]) {
        self.text = text
        self.themeKeys = themeKeys
        self.audienceChoice = audienceChoice
        self.teams = teams
    }

    /// The longest response: long enough for a concrete plan, short enough to read in a channel.
    public static let maximumTextLength = 1_000
    /// Value of the "all teams" audience choice.
    public static let allTeamsChoice = "all"
    /// Value of the "named teams" audience choice.
    public static let namedTeamsChoice = "teams"

    /// Checks the form against what the answered digest published.
    ///
    /// - Parameters:
    ///   - offered: the themes the answered leadership digest published (``ResponseTheme/published(in:)``).
    ///   - eligibleTeams: teams whose team digest of that week was published with numbers (at least k people
    ///     answered, see ``ResponseEligibility``). A response may only be addressed to those: nobody can respond
    ///     about a group smaller than k.
    /// - Returns: the validated parts, or every field's problem at once.
    public func validate(offered: [ResponseTheme], eligibleTeams: Set<String>) -> Result<
        ValidatedLeaderResponse, LeaderResponseFormErrors
    > {
        var errors = LeaderResponseFormErrors()
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            errors.text = "Write what will change: one or two sentences your teams will read."
        } else if trimmed.count > Self.maximumTextLength {
            errors.text =
                "Keep it to \(Self.maximumTextLength) characters (this has \(trimmed.count)); the page can link to more."
        } else if trimmed.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }) {
            errors.text = "Remove the control characters from the text."
        }
        var themes: [ResponseTheme] = []
        var unknownTheme = false
        for key in themeKeys {
            guard let theme = ResponseTheme(key: key), offered.contains(theme) else {
                unknownTheme = true
                continue
            }
            if !themes.contains(theme) { themes.append(theme) }
        }
        if unknownTheme {
            errors.themes = "Pick only themes this digest published; the form may be out of date, open it again."
        } else if themes.isEmpty {
            errors.themes = "Tick at least one theme this response answers."
        }
        let named = teams.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        var uniqueTeams: [String] = []
        for team in named where !uniqueTeams.contains(team) { uniqueTeams.append(team) }
        let choice = audienceChoice ?? (uniqueTeams.isEmpty ? Self.allTeamsChoice : Self.namedTeamsChoice)
        var audience = ResponseAudience.allTeams
        switch choice {
        case Self.allTeamsChoice:
            if !uniqueTeams.isEmpty {
                errors.teams = "You chose all teams and also named teams: choose \"Named teams\" or clear the teams."
            }
        case Self.namedTeamsChoice:
            if uniqueTeams.isEmpty {
                errors.teams = "Name at least one team, or choose all teams."
            } else if let refused = uniqueTeams.first(where: { !eligibleTeams.contains($0) }) {
                errors.teams =
                    "\(refused) had no team digest with numbers that week (too few people answered, or it would "
                    + "have exposed a smaller group), so nobody can be answered there by name. Choose all teams "
                    + "or a team listed here."
            } else {
                audience = .teams(uniqueTeams)
            }
        default:
            errors.audience = "Choose all teams or named teams."
        }
        guard errors.isEmpty else { return .failure(errors) }
        return .success(ValidatedLeaderResponse(text: trimmed, themes: themes, audience: audience))
    }
}

/// A response that passed ``LeaderResponseForm/validate(offered:eligibleTeams:)``.
public struct ValidatedLeaderResponse: Sendable, Equatable {
    public var text: String
    public var themes: [ResponseTheme]
    public var audience: ResponseAudience
}

/// Each field's problem, in words that say what to do; nil fields are fine.
public struct LeaderResponseFormErrors: Error, Sendable, Equatable {
    public var text: String?
    public var themes: String?
    public var audience: String?
    public var teams: String?

    public init(text: String? = nil, themes: String? = nil, audience: String? = nil, teams: String? = nil) {
        self.text = text
        self.themes = themes
        self.audience = audience
        self.teams = teams
    }

    public var isEmpty: Bool { text == nil && themes == nil && audience == nil && teams == nil }

    /// Every problem, one per line, for platforms that show them together.
    public var lines: [String] { [text, themes, audience, teams].compactMap { $0 } }
}

/// Which teams a response may name: those whose team digest of the answered week was published with numbers.
///
/// Why the published team digest and nothing else: it is the one place where the core already decided that the
/// team had at least k people who answered and that showing it exposes no smaller group (complementary
/// suppression). A team digest that was quiet, or never made, means the group may be smaller than k; a response
/// "to" it would single out the few people in it.
public enum ResponseEligibility {
    public static func teams(week: WeekKey, teamDigests: [DigestDocument]) -> Set<String> {
        var teams: Set<String> = []
        for document in teamDigests where document.week == week && !document.isQuiet {
            guard case .team(let team) = document.audience, document.participation != nil else { continue }
            teams.insert(team)
        }
        return teams
    }
}
