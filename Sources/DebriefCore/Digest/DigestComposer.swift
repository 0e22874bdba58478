import Foundation

/// The working state of one digest document: renders one audience's view of a week from the week's audited
/// `WeekRelease` (and earlier weeks' releases, for trends) plus the week's free text.
///
/// - Important: every number in the document is read from a release; nothing here computes a number from
///   exact counts. That is what makes the auditor's check of the release a check of every digest, page,
///   receipt and preview of the week.
struct DigestComposer {
    let input: DigestInput
    let seed: UInt64
    let k: Int
    let kQuotes: Int
    let releases: [WeekKey: WeekRelease]
    /// Weeks of the trend window that have a release, oldest first, ending with this week.
    let window: [WeekKey]
    /// Shared by every digest of a batch with the same directory: preparing a large directory is the costly
    /// part of scrubbing.
    let scrubber: QuoteScrubber

    /// Work shared between the digests of one batch: releases (computed once per week for identical stats)
    /// and scrubbers (reused only for an identical directory).
    struct SharedWork {
        var releases: [WeekKey: [(key: ReleaseKey, release: WeekRelease)]] = [:]
        var scrubbers: [(directory: [String], scrubber: QuoteScrubber)] = []

        struct ReleaseKey: Equatable {
            var stats: [DigestGroup: GroupWeekStats]
            var roster: WeekRoster?
            var cohorts: [TrainingCohortStats]?
            var settings: PrivacySettings
            var previous: WeekRelease?
            var questions: QuestionWeekInput?
        }

        mutating func release(_ key: ReleaseKey, week: WeekKey, seed: UInt64) -> WeekRelease {
            if let hit = releases[week]?.first(where: { $0.key == key }) { return hit.release }
            let release = ReleaseBuilder.release(
                week: week, stats: key.stats, roster: key.roster, cohorts: key.cohorts, previous: key.previous,
                settings: key.settings, seed: seed, questions: key.questions)
            releases[week, default: []].append((key, release))
            return release
        }

        mutating func scrubber(directory: [String]) -> QuoteScrubber {
            if let hit = scrubbers.first(where: { $0.directory == directory }) { return hit.scrubber }
            let scrubber = QuoteScrubber(directoryNames: directory)
            scrubbers.append((directory, scrubber))
            return scrubber
        }
    }

    /// The weeks a digest of `week` looks at, oldest first.
    static func weeks(endingAt week: WeekKey) -> [WeekKey] {
        let span = max(DigestBuilder.trendWeeks, DigestBuilder.comparisonWeeks + 1)
        return (0..<span).reversed().map { week.adding(weeks: -$0) }
    }

    init(input: DigestInput, seed: UInt64, cache: inout SharedWork) {
        self.input = input
        self.seed = seed
        self.k = input.settings.effectiveK
        self.kQuotes = input.settings.effectiveKQuotes
        let weeks = Self.weeks(endingAt: input.week)
        // Stored releases are the published past; weeks never released are released now from their stats,
        // oldest first (each may repeat the cohort rows of the one before).
        var releases: [WeekKey: WeekRelease] = [:]
        var previous: WeekRelease? = input.releases.filter { $0.key < (weeks.first ?? input.week) }
            .max { $0.key < $1.key }?.value
        for week in weeks {
            if let stored = input.releases[week] {
                releases[week] = stored
            } else if let stats = input.stats[week] {
                let key = SharedWork.ReleaseKey(
                    stats: stats, roster: input.rosters[week], cohorts: week == input.week ? input.cohorts : nil,
                    settings: input.settings, previous: previous,
                    questions: week == input.week ? input.questions : nil)
                releases[week] = cache.release(key, week: week, seed: seed)
            }
            if let release = releases[week] { previous = release }
        }
        self.releases = releases
        let earliest = releases.keys.filter { $0 <= input.week }.min() ?? input.week
        self.window = weeks.suffix(DigestBuilder.trendWeeks).filter { $0 >= earliest && releases[$0] != nil }
        let needsScrubbing =
            !input.quoteCandidates.isEmpty || !input.leaderNotes.isEmpty || !input.themeQuotes.isEmpty
        self.scrubber = cache.scrubber(directory: needsScrubbing ? input.directoryNames : [])
    }

    /// The group whose numbers this digest is about.
    var scope: DigestGroup {
        switch input.audience {
        case .leadership: .organisation
        case .team(let team): .team(team)
        }
    }

    /// The shown release of `group` in `week`; nil when hidden, empty or not released.
    func shown(_ group: DigestGroup, in week: WeekKey) -> GroupRelease? {
        releases[week]?.shown(group)
    }

    func reason(for group: DigestGroup, in week: WeekKey) -> SuppressionReason? {
        guard let release = releases[week]?.group(group) else { return .belowThreshold }
        return release.visibility.reason
    }

    // MARK: - Document

    func document() -> DigestDocument {
        let week = input.week
        let leaders = leaderNotes()
        guard let current = shown(scope, in: week), let respondents = current.respondents else {
            return quietDocument(leaders: leaders)
        }

        var suppressed: [SuppressedSection] = []
        let participation = participationSection(
            current: respondents, reflections: current.reflections, suppressed: &suppressed)
        let gap = perceptionGapSection(suppressed: &suppressed)
        let breakdown: GroupBreakdownSection? =
            input.audience == .leadership ? breakdownSection(suppressed: &suppressed) : nil
        let training = trainingSection(suppressed: &suppressed)
        let quotes = quotesSection(leaderNotes: leaders, suppressed: &suppressed)
        let expectationGap = input.audience == .leadership ? expectationGapSection(suppressed: &suppressed) : nil
        let themes = input.audience == .leadership ? themesSection(suppressed: &suppressed) : nil
        if respondents.lowerBound < ReleaseBuilder.breakdownsFrom {
            suppressed.append(
                SuppressedSection(
                    section: .outcomeMix, reason: .tooFewAnswered,
                    message: "Answers are broken down (outcomes, time saved, confidence, tasks, blockers) once at "
                        + "least \(ReleaseBuilder.breakdownsFrom) people reflected: several shares of a smaller group "
                        + "would add up to what each person said."))
        } else if current.outcomeMix == nil || current.minutesSaved == nil || current.confidence == nil
            || current.categories == nil
        {
            suppressed.append(
                SuppressedSection(
                    section: .outcomeMix, reason: .tooFewAnswered,
                    message: "Answers to a question are summarised only when at least \(k) people gave one."))
        }

        var document = DigestDocument(
            audience: input.audience, week: week, isQuiet: false, quietReason: nil, sectionOrder: [],
            participation: participation,
            outcomeMix: current.outcomeMix,
            minutesSaved: current.minutesSaved,
            confidence: current.confidence,
            categories: current.categories,
            blockers: current.blockers,
            perceptionGap: gap,
            breakdown: breakdown,
            trainingToPractice: training,
            quotes: quotes,
            fromLeaders: leaders,
            suppressed: suppressed,
            footer: footer(suppressed: suppressed))
        document.expectationGap = expectationGap
        document.themes = themes
        document.sectionOrder = Self.order(for: input.audience).filter { document.has($0) }
        return document
    }

    static func order(for audience: DigestAudience) -> [DigestSectionKind] {
        switch audience {
        case .leadership:
            [
                .participation, .outcomeMix, .minutesSaved, .confidence, .perceptionGap, .expectationGap, .breakdown,
                .categories, .blockers, .themes, .trainingToPractice, .quotes, .fromLeaders,
            ]
        case .team:
            [
                .fromLeaders, .participation, .outcomeMix, .minutesSaved, .confidence, .categories, .blockers,
                .perceptionGap, .trainingToPractice, .quotes,
            ]
        }
    }

    func quietDocument(leaders: LeaderNotesSection?) -> DigestDocument {
        let reason: String
        switch input.audience {
        case .leadership:
            reason = "A quiet week: too few people reflected to share anything without exposing someone."
        case .team(let team):
            reason = "A quiet week for \(team): too few reflections to share anything without exposing someone."
        }
        var document = DigestDocument(
            audience: input.audience, week: input.week, isQuiet: true, quietReason: reason, sectionOrder: [],
            fromLeaders: leaders, suppressed: [], footer: footer(suppressed: []))
        document.sectionOrder = Self.order(for: input.audience).filter { document.has($0) }
        return document
    }

    func footer(suppressed: [SuppressedSection]) -> DigestFooter {
        let noiseEpsilon = releases[input.week]?.noiseEpsilon ?? input.settings.effectiveEpsilon
        var lines = [
            "Groups with fewer than \(k) people who reflected show no numbers, trends or quotes; "
                + "quotes need at least \(kQuotes).",
            "Counts are shown as ranges; shares as whole percents for groups of \(SharePrecision.wholePercentFrom) or "
                + "more, in ten-point bands from \(SharePrecision.tensFrom) and in quarters below, so no exact small "
                + "number can be worked out. Nobody's individual answers, participation or streaks are shown.",
        ]
        if let noiseEpsilon {
            lines.append(
                "Counts include random noise (ε = \(Self.format(noiseEpsilon))) to protect individuals, "
                    + "so shares can differ slightly from the exact answers.")
        }
        var seen = Set<String>()
        for entry in suppressed where seen.insert(entry.message).inserted { lines.append(entry.message) }
        return DigestFooter(threshold: k, quoteThreshold: kQuotes, noiseEpsilon: noiseEpsilon, lines: lines)
    }

    /// A short decimal for the footer: 1 → "1", 0.5 → "0.5", 0.333333 → "0.333".
    static func format(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return value.isFinite ? "\(value)" : "—" }
        let thousandths = Int((value * 1000).rounded())
        let whole = thousandths / 1000
        var fraction = String(thousandths % 1000)
        guard fraction != "0" else { return String(whole) }
        while fraction.count < 3 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }
}

extension DigestDocument {
    /// Whether the section of `kind` is present.
    func has(_ kind: DigestSectionKind) -> Bool {
        switch kind {
        case .participation: participation != nil
        case .outcomeMix: outcomeMix != nil
        case .minutesSaved: minutesSaved != nil
        case .confidence: confidence != nil
        case .categories: categories != nil
        case .blockers: blockers != nil
        case .perceptionGap: perceptionGap != nil
        case .tryThis: tryThis != nil
        case .breakdown: breakdown != nil
        case .trainingToPractice: trainingToPractice != nil
        case .quotes: quotes != nil
        case .fromLeaders: fromLeaders != nil
        case .youSaidWeDid: youSaidWeDid != nil
        case .loopClosure: loopClosure != nil
        case .expectationGap: expectationGap != nil
        case .themes: themes != nil
        }
    }
}
