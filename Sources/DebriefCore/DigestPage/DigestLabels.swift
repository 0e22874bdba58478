/// The words and number formats every digest renderer uses: the Slack texts, the templates' context and
/// the HTML page.
///
/// One vocabulary so the message in the channel and the page behind its link say "42%" and
/// "+12 pts (−3 to +27)" in exactly the same way, and a reader comparing them never wonders whether
/// they show different numbers. Formats only what ``DigestDocument`` already holds; nothing here
/// computes a number from counts.
public enum DigestLabels {
    /// The typographic minus sign, so negative numbers do not read as hyphens.
    public static let minus = "\u{2212}"
    /// The en dash between the ends of a range ("10–19").
    public static let rangeDash = "\u{2013}"

    // MARK: - Numbers

    /// `42` → `42%`.
    public static func percent(_ value: Int) -> String { "\(value)%" }

    /// A published share: `42%`, `0–5%`, `under 25%`, `25–49%`, `75% or more`.
    public static func percent(_ value: PublishedPercent) -> String { value.label }

    /// A published share that may be withheld: its label, or "—".
    public static func percent(_ value: PublishedPercent?) -> String { value?.label ?? "\u{2014}" }

    /// `12` → `+12`, `-3` → `−3`, `0` → `0`.
    public static func signed(_ value: Int) -> String {
        value > 0 ? "+\(value)" : value < 0 ? minus + "\(-value)" : "0"
    }

    /// `12` → `+12 pts`.
    public static func points(_ value: Int) -> String { signed(value) + " pts" }

    /// A difference interval in points: `−3 to +27`.
    public static func pointsInterval(_ interval: PercentInterval) -> String {
        signed(interval.lower) + " to " + signed(interval.upper)
    }

    /// A gap with its interval: `+12 pts (−3 to +27)`.
    public static func gap(_ points: Int, _ interval: PercentInterval) -> String {
        self.points(points) + " (" + pointsInterval(interval) + ")"
    }

    /// A share's interval: `35–60%`.
    public static func percentInterval(_ interval: PercentInterval) -> String {
        "\(interval.lower)" + rangeDash + "\(interval.upper)%"
    }

    /// A median confidence: `4`, `3.5`.
    public static func confidence(_ value: Double) -> String {
        guard let tenths = Int.rounding(value * 10) else { return "\(value)" }
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(abs(tenths % 10))"
    }

    /// A noise epsilon as configured, with at most two decimals: `1`, `0.5`, `0.25`.
    public static func epsilon(_ value: Double) -> String {
        guard let hundredths = Int.rounding(value * 100) else { return "\(value)" }
        var text = "\(hundredths / 100)"
        let fraction = abs(hundredths % 100)
        if fraction != 0 {
            text += "." + (fraction % 10 == 0 ? "\(fraction / 10)" : (fraction < 10 ? "0" : "") + "\(fraction)")
        }
        return text
    }

    /// `3.5 out of 5`.
    public static func confidenceOutOfFive(_ value: Double) -> String { confidence(value) + " out of 5" }

    // MARK: - Weeks

    /// `W47`.
    public static func shortWeek(_ week: WeekKey) -> String { "W\(week.week)" }

    /// `week 47, 2026`.
    public static func week(_ week: WeekKey) -> String { "week \(week.week), \(week.year)" }

    // MARK: - Vocabularies

    public static func outcome(_ outcome: Outcome) -> String {
        switch outcome {
        case .savedTime: "Saved time"
        case .betterQuality: "Better quality"
        case .newCapability: "New capability"
        case .noDifference: "No difference"
        case .worse: "Worse"
        }
    }

    /// Minutes saved per reflection, as the bucket reads: `16–30 min`.
    public static func minutes(_ bucket: MinutesSaved) -> String {
        switch bucket {
        case .none: "none"
        case .upTo15: "1" + rangeDash + "15 min"
        case .upTo30: "16" + rangeDash + "30 min"
        case .upTo60: "31" + rangeDash + "60 min"
        case .upTo120: "61" + rangeDash + "120 min"
        case .moreThan120: "over 120 min"
        }
    }

    /// The middle half of answers: `1–15 min to 31–60 min`, or one bucket when both quartiles agree.
    public static func minutesSpread(_ section: MinutesSavedSection) -> String {
        section.lowerQuartile == section.upperQuartile
            ? minutes(section.lowerQuartile) : minutes(section.lowerQuartile) + " to " + minutes(section.upperQuartile)
    }

    public static func category(_ category: TaskCategory) -> String {
        switch category {
        case .drafting: "Drafting"
        case .research: "Research"
        case .analysis: "Analysis"
        case .coding: "Coding"
        case .data: "Data work"
        case .communication: "Communication"
        case .admin: "Admin"
        case .other: "Other"
        }
    }

    public static func blocker(_ blocker: Blocker) -> String {
        switch blocker {
        case .policyUnclear: "Policy unclear"
        case .noAccess: "No access"
        case .skills: "Skills"
        case .trustInOutput: "Trust in the output"
        case .noTime: "No time"
        case .other: "Other"
        }
    }

    /// `Leaders`, `Managers`, `ICs`.
    public static func roles(_ role: RoleLevel) -> String {
        switch role {
        case .leader: "Leaders"
        case .manager: "Managers"
        case .ic: "ICs"
        }
    }

    /// `a leader`, `a manager`, `an IC`: who a quote came from, when the group is large enough to say.
    public static func roleOfOne(_ role: RoleLevel) -> String {
        switch role {
        case .leader: "a leader"
        case .manager: "a manager"
        case .ic: "an IC"
        }
    }

    /// `up 25–49%`, `down 10–24%`, `about the same`.
    public static func change(_ change: ParticipationChange) -> String {
        switch change.direction {
        case .up: "up " + change.magnitude.label
        case .down: "down " + change.magnitude.label
        case .steady: "about the same"
        }
    }

    /// Where a perception gap was measured: `across the organisation`, `in Platform`.
    public static func scope(_ group: DigestGroup) -> String {
        switch group {
        case .organisation: "across the organisation"
        case .team(let team): "in " + team
        case .role(let role): "among " + roles(role).lowercased()
        case .teamRole(let team, let role): "among " + roles(role).lowercased() + " in " + team
        }
    }

    /// Who a digest is for: `the organisation` or the team's name.
    public static func audience(_ audience: DigestAudience) -> String {
        switch audience {
        case .leadership: "the organisation"
        case .team(let team): team
        }
    }

    public static func sectionTitle(_ kind: DigestSectionKind) -> String {
        switch kind {
        case .participation: "Participation"
        case .outcomeMix: "Outcomes"
        case .minutesSaved: "Minutes saved"
        case .confidence: "Confidence"
        case .categories: "Use cases"
        case .blockers: "Blockers"
        case .perceptionGap: "Perception gap: leaders and ICs"
        case .breakdown: "By role and team"
        case .trainingToPractice: "From training to practice"
        case .quotes: "In their words"
        case .fromLeaders: "What leaders tried"
        case .youSaidWeDid: "You said, we did"
        case .loopClosure: "Closing the loop"
        case .expectationGap: "Expectation gap: leaders and ICs"
        case .themes: "What people wrote about"
        case .tryThis: "Try this"
        }
    }

    /// Why something is not shown, in words and without any number: the privacy promise is explained,
    /// never quantified in a way that hints at how many people are behind a hidden group.
    ///
    /// - Parameter partial: the section is shown but some of its groups or comparisons are not, so the
    ///   sentence says "some groups" instead of "not shown".
    public static func suppression(_ reason: SuppressionReason, partial: Bool = false) -> String {
        if partial {
            switch reason {
            case .belowThreshold:
                return "Some groups are not shown: too few people answered for them to stay anonymous."
            case .protectsSmallerGroup:
                return "Some groups are not shown: too few people answered, or showing them would let someone"
                    + " work out the answers of a smaller group."
            case .earlierWeeksHidden, .tooFewForQuotes:
                break
            case .tooFewAnswered:
                return "Some answers are not summarised: too few people gave them for them to stay anonymous."
            case .noData:
                return "Some parts have nothing to show this week."
            }
        }
        return switch reason {
        case .belowThreshold:
            "Not shown: too few people answered for this to stay anonymous."
        case .protectsSmallerGroup:
            "Not shown: too few people answered, or showing it would let someone work out the answers of a"
                + " smaller group."
        case .earlierWeeksHidden:
            "No comparison: comparing with earlier weeks would reveal a week that was not shown."
        case .tooFewForQuotes:
            "No quotes: too few people answered to quote anyone without hinting at who said it."
        case .tooFewAnswered:
            "Not summarised: too few people gave this answer for it to stay anonymous."
        case .noData:
            "Nothing to show this week."
        }
    }
}
