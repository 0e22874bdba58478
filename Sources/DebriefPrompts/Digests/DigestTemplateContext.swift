import DebriefCore

/// The plain values a digest template sees, built from a ``DigestDocument``.
///
/// Templates are edited without review by a programmer, so they get no document, no counts and no
/// way to compute anything: only texts already formatted the way every digest shows them
/// (``DigestLabels``: bucket labels such as `20–49`, `42%`, `+12 pts (−3 to +27)`), yes/no flags for
/// wording choices, and lists. A section that is held back is simply absent, so `{{#gap}}…{{/gap}}`
/// renders nothing for it; its reason is in `hidden`. Names never collide across levels, so a value
/// missing inside a section can never be filled from an outer one.
///
/// The names, as `DigestTemplateContext.shape` (checked when templates load):
/// - `week` (`2026-W47`), `week_label` (`week 47, 2026`), `week_number`, `year`, `audience`
///   (`the organisation` or the team), `team` (team digests), flag `leadership`, `link` (the signed page URL),
///   flag `quiet` and `quiet_reason`.
/// - `sections`: the present sections in the document's order, each with `title` and one flag
///   `is_participation`, `is_outcomes`, `is_minutes`, `is_confidence`, `is_use_cases`, `is_blockers`, `is_gap`,
///   `is_breakdown`, `is_training`, `is_quotes`, `is_from_leaders`, `is_expectation_gap` or `is_themes`.
/// - `participation`: `people`, `reflections`, `change` {`text`, `magnitude`, flags `up`/`down`/`steady`},
///   `trend` [{`week`, `people`}].
/// - `outcomes`: `difference`, `top` {`label`, `percent`}, `shares` [{`label`, `percent`}].
/// - `minutes`: `median`, `spread`, `shares` [{`label`, `percent`}].
/// - `confidence`: `median`, `shares` [{`level`, `percent`}].
/// - `use_cases`, `blockers`: [{`label`, `percent`}].
/// - `gap`: `scope`, `points`, `signed`, `size`, `interval`, `summary`, flags `clear`/`unclear`,
///   `leaders_higher`/`ics_higher`/`no_gap`, `leaders` and `ics` {`role`, `people`, `difference`,
///   `difference_interval`, `median_minutes`, `median_confidence`}, `trend` [{`week`, `leaders_share`,
///   `ics_share`, `gap_summary`}].
/// - `breakdown`: `roles`, `teams` [{`label`, `people`, `difference`, `median_minutes`, `median_confidence`}].
/// - `training`: [{`title`, `participants`, `reflected`, `applied`, `repeated`}].
/// - `expectation_gap` (leadership): [{`prompt`, `leaders`, `ics` (people who answered), `caption`, `rows`
///   [{`label`, `leaders`, `ics` (share with interval, or "not shown"), `gap`, flag `clear`}]}].
/// - `themes` (leadership): [{`label`, `people`, `quote`}]; a quote only from someone who consented, scrubbed.
/// - `quotes`: [{`text`, `role`}]; `from_leaders`: [{`name`, `text`}]; `leader_names` (`Ana and Ben`).
/// - `you_said_we_did`: [{`name`, `text`, `themes`, `answered_week`}] (leaders' responses, team digests);
///   `loop_closure`: `answered`, `published`, `percent`, `weeks`, `open` [{`label`, `week`, flag `closed`}]
///   (leadership digests). Flags `is_you_said_we_did`, `is_loop_closure`.
/// - `hidden`: [{`section`, `reason`}], reasons in words without numbers ("Some groups are not shown: …" when the
///   section itself is shown).
/// - `footer`: `threshold`, `quote_threshold`, flag `noise`, `epsilon`, `lines` [{`text`}].
/// - Important: nothing here may identify a person except `from_leaders.name`, which exists only for
///   leaders who chose `attributed`. Quotes and notes are escaped for the platform's markup when rendered.
enum DigestTemplateContext {
    /// A context value: what Mustache renders.
    indirect enum Value: Equatable {
        case text(String)
        case flag(Bool)
        case object([String: Value])
        case list([[String: Value]])

        /// Converts to the `Any` tree swift-mustache walks.
        var mustache: Any {
            switch self {
            case .text(let text): return text
            case .flag(let flag): return flag
            case .object(let object): return object.mapValues(\.mustache)
            case .list(let items): return items.map { $0.mapValues(\.mustache) }
            }
        }
    }

    // MARK: - Shape

    private static let share: [String: DigestContextShape] = ["label": .value, "percent": .value]
    private static let side: [String: DigestContextShape] = [
        "role": .value, "people": .value, "difference": .value, "difference_interval": .value,
        "median_minutes": .value, "median_confidence": .value,
    ]
    private static let groupRow: [String: DigestContextShape] = [
        "label": .value, "people": .value, "difference": .value, "median_minutes": .value,
        "median_confidence": .value,
    ]
    static let sectionFlags: [DigestSectionKind: String] = [
        .participation: "is_participation", .outcomeMix: "is_outcomes", .minutesSaved: "is_minutes",
        .confidence: "is_confidence", .categories: "is_use_cases", .blockers: "is_blockers",
        .perceptionGap: "is_gap", .breakdown: "is_breakdown", .trainingToPractice: "is_training",
        .quotes: "is_quotes", .fromLeaders: "is_from_leaders",
        .youSaidWeDid: "is_you_said_we_did", .loopClosure: "is_loop_closure",
        .expectationGap: "is_expectation_gap", .themes: "is_themes", .tryThis: "is_try_this",
    ]

    /// Every name a template may use, by level.
    static let shape: [String: DigestContextShape] = {
        var sectionItem: [String: DigestContextShape] = ["title": .value]
        for flag in sectionFlags.values { sectionItem[flag] = .value }
        return [
            "week": .value, "week_label": .value, "week_number": .value, "year": .value, "audience": .value,
            "team": .value, "leadership": .value, "link": .value, "quiet": .value, "quiet_reason": .value,
            "sections": .list(sectionItem),
            "participation": .object([
                "people": .value, "reflections": .value,
                "change": .object(["text": .value, "magnitude": .value, "up": .value, "down": .value, "steady": .value]
                ),
                "trend": .list(["week": .value, "people": .value]),
            ]),
            "outcomes": .object(["difference": .value, "top": .object(share), "shares": .list(share)]),
            "minutes": .object(["median": .value, "spread": .value, "shares": .list(share)]),
            "confidence": .object(["median": .value, "shares": .list(["level": .value, "percent": .value])]),
            "use_cases": .list(share),
            "blockers": .list(share),
            "gap": .object([
                "scope": .value, "points": .value, "signed": .value, "size": .value, "interval": .value,
                "summary": .value, "clear": .value, "unclear": .value, "leaders_higher": .value,
                "ics_higher": .value, "no_gap": .value, "leaders": .object(side), "ics": .object(side),
                "trend": .list(["week": .value, "leaders_share": .value, "ics_share": .value, "gap_summary": .value]),
            ]),
            "breakdown": .object(["roles": .list(groupRow), "teams": .list(groupRow)]),
            "training": .list([
                "title": .value, "participants": .value, "reflected": .value, "applied": .value, "repeated": .value,
            ]),
            "quotes": .list(["text": .value, "role": .value]),
            "from_leaders": .list(["name": .value, "text": .value]),
            "leader_names": .value,
            "you_said_we_did": .list(["name": .value, "text": .value, "themes": .value, "answered_week": .value]),
            "loop_closure": .object([
                "answered": .value, "published": .value, "percent": .value, "weeks": .value,
                "open": .list(["label": .value, "week": .value, "closed": .value]),
            ]),
            "expectation_gap": .list([
                "prompt": .value, "leaders": .value, "ics": .value, "caption": .value,
                "rows": .list([
                    "label": .value, "leaders": .value, "ics": .value, "gap": .value, "clear": .value,
                ]),
            ]),
            "themes": .list(["label": .value, "people": .value, "quote": .value]),
            "try_this": .object([
                "text": .value, "category": .value, "for_team_top": .value, "outcome": .value, "minutes_saved": .value,
                "author": .value,
            ]),
            "hidden": .list(["section": .value, "reason": .value]),
            "footer": .object([
                "threshold": .value, "quote_threshold": .value, "noise": .value, "epsilon": .value,
                "lines": .list(["text": .value]),
            ]),
        ]
    }()

    /// The names template `name` may use: all templates share one context.
    static func shape(for name: String) -> [String: DigestContextShape] { shape }

    // MARK: - Building

    static func make(_ document: DigestDocument, link: String) -> [String: Value] {
        var context: [String: Value] = [
            "week": .text(document.week.description),
            "week_label": .text(DigestLabels.week(document.week)),
            "week_number": .text(String(document.week.week)),
            "year": .text(String(document.week.year)),
            "audience": .text(DigestLabels.audience(document.audience)),
            "link": .text(link),
            "quiet": .flag(document.isQuiet),
        ]
        switch document.audience {
        case .leadership: context["leadership"] = .flag(true)
        case .team(let team):
            context["leadership"] = .flag(false)
            context["team"] = .text(team)
        }
        if document.isQuiet {
            context["quiet_reason"] = .text(
                document.quietReason ?? "Too few people reflected this week to share anything without exposing anyone.")
        }

        var present: [DigestSectionKind] = []
        func add(_ kind: DigestSectionKind, _ key: String, _ value: Value?) {
            guard let value else { return }
            context[key] = value
            if !present.contains(kind) { present.append(kind) }
        }
        add(.participation, "participation", document.participation.map(participation))
        add(.outcomeMix, "outcomes", document.outcomeMix.map(outcomes))
        add(.minutesSaved, "minutes", document.minutesSaved.map(minutes))
        add(.confidence, "confidence", document.confidence.map(confidence))
        add(.categories, "use_cases", document.categories.flatMap { nonEmpty($0.top.map(categoryShare)) })
        add(.blockers, "blockers", document.blockers.flatMap { nonEmpty($0.top.map(blockerShare)) })
        add(.perceptionGap, "gap", document.perceptionGap.map(gap))
        add(.breakdown, "breakdown", document.breakdown.flatMap(breakdown))
        add(.trainingToPractice, "training", document.trainingToPractice.flatMap { nonEmpty($0.cohorts.map(cohort)) })
        add(.quotes, "quotes", document.quotes.flatMap { nonEmpty($0.quotes.map(quote)) })
        if let notes = document.fromLeaders?.notes, !notes.isEmpty {
            add(
                .fromLeaders, "from_leaders",
                .list(notes.map { ["name": .text($0.displayName), "text": .text($0.text)] }))
            context["leader_names"] = .text(joined(notes.map(\.displayName)))
        }

        LoopTemplateContext.add(document, to: &context, present: &present)
        add(
            .expectationGap, "expectation_gap",
            document.expectationGap.flatMap { nonEmpty($0.questions.map(expectationGapQuestion)) })
        add(.themes, "themes", document.themes.flatMap { nonEmpty($0.themes.map(theme)) })
        add(.tryThis, "try_this", document.tryThis.map(tryThis))

        // The document's order first, then anything present it did not list.
        var order = document.sectionOrder.filter { present.contains($0) }
        order += present.filter { !order.contains($0) }
        var seen: Set<DigestSectionKind> = []
        context["sections"] = .list(
            order.filter { seen.insert($0).inserted }.compactMap { kind in
                guard let flag = sectionFlags[kind] else { return nil }
                return ["title": .text(DigestLabels.sectionTitle(kind)), flag: .flag(true)]
            })

        var hiddenSeen: Set<String> = []
        let hidden: [[String: Value]] = document.suppressed.compactMap { held in
            guard hiddenSeen.insert(held.section.rawValue + "/" + held.reason.rawValue).inserted else { return nil }
            return [
                "section": .text(DigestLabels.sectionTitle(held.section)),
                "reason": .text(DigestLabels.suppression(held.reason, partial: present.contains(held.section))),
            ]
        }
        if !hidden.isEmpty { context["hidden"] = .list(hidden) }
        context["footer"] = footer(document.footer)
        return context
    }

    private static func participation(_ section: ParticipationSection) -> Value {
        var object: [String: Value] = [
            "people": .text(section.respondents.label), "reflections": .text(section.reflections.label),
        ]
        if let change = section.change {
            object["change"] = .object([
                "text": .text(DigestLabels.change(change)), "magnitude": .text(change.magnitude.label),
                "up": .flag(change.direction == .up), "down": .flag(change.direction == .down),
                "steady": .flag(change.direction == .steady),
            ])
        }
        if !section.trend.isEmpty {
            object["trend"] = .list(
                section.trend.map {
                    [
                        "week": .text(DigestLabels.shortWeek($0.week)),
                        "people": .text($0.respondents?.label ?? "not shown"),
                    ]
                })
        }
        return .object(object)
    }

    private static func outcomes(_ section: OutcomeMixSection) -> Value {
        let shares = section.shares.map { share($0.percent, DigestLabels.outcome($0.outcome)) }
        var object: [String: Value] = [
            "difference": .text(DigestLabels.percent(section.difference)), "shares": .list(shares),
        ]
        // The most common outcome; the first listed wins a tie, so the choice is stable.
        if let top = section.shares.enumerated().max(by: {
            ($0.element.percent.lower, $0.element.percent.upper, $1.offset)
                < ($1.element.percent.lower, $1.element.percent.upper, $0.offset)
        }) {
            object["top"] = .object(share(top.element.percent, DigestLabels.outcome(top.element.outcome)))
        }
        return .object(object)
    }

    private static func minutes(_ section: MinutesSavedSection) -> Value {
        .object([
            "median": .text(DigestLabels.minutes(section.median)),
            "spread": .text(DigestLabels.minutesSpread(section)),
            "shares": .list(section.shares.map { share($0.percent, DigestLabels.minutes($0.bucket)) }),
        ])
    }

    private static func confidence(_ section: ConfidenceSection) -> Value {
        .object([
            "median": .text(DigestLabels.confidence(section.median)),
            "shares": .list(
                section.shares.map {
                    ["level": .text(String($0.level)), "percent": .text(DigestLabels.percent($0.percent))]
                }),
        ])
    }

    private static func categoryShare(_ share: CategoryShare) -> [String: Value] {
        self.share(share.percent, DigestLabels.category(share.category))
    }

    private static func blockerShare(_ share: BlockerShare) -> [String: Value] {
        self.share(share.percent, DigestLabels.blocker(share.blocker))
    }

    private static func gap(_ section: PerceptionGapSection) -> Value {
        var object: [String: Value] = [
            "scope": .text(DigestLabels.scope(section.scope)),
            "points": .text(DigestLabels.points(section.gapPoints)),
            "signed": .text(DigestLabels.signed(section.gapPoints)),
            "size": .text(String(abs(section.gapPoints))),
            "interval": .text(DigestLabels.pointsInterval(section.gapInterval)),
            "summary": .text(DigestLabels.gap(section.gapPoints, section.gapInterval)),
            "clear": .flag(section.isClearDifference),
            "unclear": .flag(!section.isClearDifference),
            "leaders_higher": .flag(section.gapPoints > 0),
            "ics_higher": .flag(section.gapPoints < 0),
            "no_gap": .flag(section.gapPoints == 0),
            "leaders": side(section.leaders),
            "ics": side(section.ics),
        ]
        if !section.trend.isEmpty {
            object["trend"] = .list(
                section.trend.map {
                    [
                        "week": .text(DigestLabels.shortWeek($0.week)),
                        "leaders_share": .text(DigestLabels.percent($0.leaderPercent)),
                        "ics_share": .text(DigestLabels.percent($0.icPercent)),
                        "gap_summary": .text(DigestLabels.gap($0.gapPoints, $0.gapInterval)),
                    ]
                })
        }
        return .object(object)
    }

    private static func side(_ side: PerceptionGapSide) -> Value {
        var object: [String: Value] = [
            "role": .text(DigestLabels.roles(side.role)),
            "people": .text(side.respondents.label),
            "difference": .text(DigestLabels.percent(side.difference)),
            "difference_interval": .text(DigestLabels.percentInterval(side.differenceInterval)),
        ]
        if let minutes = side.medianMinutes { object["median_minutes"] = .text(DigestLabels.minutes(minutes)) }
        if let confidence = side.medianConfidence {
            object["median_confidence"] = .text(DigestLabels.confidence(confidence))
        }
        return .object(object)
    }

    private static func breakdown(_ section: GroupBreakdownSection) -> Value? {
        guard !section.roles.isEmpty || !section.teams.isEmpty else { return nil }
        func rows(_ rows: [GroupRow]) -> [[String: Value]] {
            rows.map { row in
                var object: [String: Value] = [
                    "label": .text(row.label), "people": .text(row.respondents.label),
                    "difference": .text(DigestLabels.percent(row.difference)),
                ]
                if let minutes = row.medianMinutes { object["median_minutes"] = .text(DigestLabels.minutes(minutes)) }
                if let confidence = row.medianConfidence {
                    object["median_confidence"] = .text(DigestLabels.confidence(confidence))
                }
                return object
            }
        }
        var object: [String: Value] = [:]
        if !section.roles.isEmpty { object["roles"] = .list(rows(section.roles)) }
        if !section.teams.isEmpty { object["teams"] = .list(rows(section.teams)) }
        return .object(object)
    }

    private static func cohort(_ row: CohortRow) -> [String: Value] {
        [
            "title": .text(row.title), "participants": .text(row.participants.label),
            "reflected": .text(DigestLabels.percent(row.reflectedPercent)),
            "applied": .text(DigestLabels.percent(row.appliedPercent)),
            "repeated": .text(DigestLabels.percent(row.repeatedPercent)),
        ]
    }

    private static func expectationGapQuestion(_ question: ExpectationGapQuestion) -> [String: Value] {
        [
            "prompt": .text(question.prompt), "leaders": .text(question.leaders.label),
            "ics": .text(question.ics.label), "caption": .text(ExpectationGapText.caption(question)),
            "rows": .list(
                question.rows.map { row in
                    [
                        "label": .text(row.label),
                        "leaders": .text(ExpectationGapText.share(row.leaders, row.leadersInterval)),
                        "ics": .text(ExpectationGapText.share(row.ics, row.icsInterval)),
                        "gap": .text(ExpectationGapText.gap(row)), "clear": .flag(row.isClearDifference),
                    ]
                }),
        ]
    }

    private static func theme(_ theme: ThemeEntry) -> [String: Value] {
        var object: [String: Value] = ["label": .text(theme.label), "people": .text(theme.people.label)]
        if let quote = theme.quote { object["quote"] = .text(quote) }
        return object
    }

    /// "Try this": the example's text and details; `author` only when the author chose to be named.
    private static func tryThis(_ section: TryThisSection) -> Value {
        let example = section.example
        var object: [String: Value] = [
            "text": .text(example.text), "for_team_top": .flag(section.teamTopCategory != nil),
        ]
        if let category = example.taskCategory { object["category"] = .text(DigestLabels.category(category)) }
        if let outcome = example.outcome { object["outcome"] = .text(DigestLabels.outcome(outcome)) }
        if let minutes = example.minutesSaved, minutes != .none {
            object["minutes_saved"] = .text(DigestLabels.minutes(minutes))
        }
        if let author = example.author { object["author"] = .text(author) }
        return .object(object)
    }

    private static func quote(_ quote: DigestQuote) -> [String: Value] {
        var object: [String: Value] = ["text": .text(quote.text)]
        if let role = quote.role { object["role"] = .text(DigestLabels.roleOfOne(role)) }
        return object
    }

    private static func footer(_ footer: DigestFooter) -> Value {
        var object: [String: Value] = [
            "threshold": .text(String(footer.threshold)),
            "quote_threshold": .text(String(footer.quoteThreshold)),
            "noise": .flag(footer.noiseEpsilon != nil),
        ]
        if let epsilon = footer.noiseEpsilon { object["epsilon"] = .text(DigestLabels.epsilon(epsilon)) }
        if !footer.lines.isEmpty { object["lines"] = .list(footer.lines.map { ["text": .text($0)] }) }
        return .object(object)
    }

    private static func share(_ percent: PublishedPercent, _ label: String) -> [String: Value] {
        ["label": .text(label), "percent": .text(DigestLabels.percent(percent))]
    }

    private static func nonEmpty(_ items: [[String: Value]]) -> Value? { items.isEmpty ? nil : .list(items) }

    /// `A`, `A and B`, `A, B and C`; each name once.
    static func joined(_ names: [String]) -> String {
        var seen = Set<String>()
        let names = names.filter { seen.insert($0).inserted }
        guard names.count > 1, let last = names.last else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + last
    }
}
