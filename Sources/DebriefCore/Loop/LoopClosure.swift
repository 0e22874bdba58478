import Foundation

/// Loop closure for the leadership digest: of the top blockers the last few leadership digests published, the
/// share leaders answered (a response ticking that blocker, to that week's digest) within the response window,
/// and the ones still open.
///
/// Privacy: every item counted is a (week, blocker) pair that a leadership digest already published, which the
/// core released only when at least k people stood behind the week and the blocker section passed suppression.
/// The numbers here count those published items and leaders' responses, never people, and a week whose
/// blocker section was held back contributes nothing (``PublishedTopBlockers`` is built from published
/// sections only). So the section can reveal nothing about a person that the earlier digests did not show.
public enum LoopClosure {
    /// How many earlier leadership digests are looked at.
    public static let weeks = 4
    /// How long after a digest was published a response counts as closing the loop.
    public static let responseWindow: TimeInterval = 14 * 86_400

    /// The section, or nil when no earlier leadership digest published any blocker.
    ///
    /// - Parameters:
    ///   - published: the top blockers of earlier leadership digests (any order; only the latest ``weeks``
    ///     weeks before `week` are used).
    ///   - responses: responses to those digests (their week and the blockers they ticked).
    ///   - week: the week of the digest being made; its own blockers are new and not counted.
    ///   - now: open items whose window has not passed yet are "open" too, with the days left.
    public static func section(
        published: [PublishedTopBlockers], responses: [AnsweredThemes], week: WeekKey, now: Date
    ) -> LoopClosureSection? {
        let window = Set((1...weeks).map { week.adding(weeks: -$0) })
        let digests = published.filter { window.contains($0.week) && !$0.blockers.isEmpty }
            .sorted { $0.week > $1.week }
        var seenWeeks: Set<WeekKey> = []
        var total = 0
        var answered = 0
        var open: [OpenBlocker] = []
        for digest in digests where seenWeeks.insert(digest.week).inserted {
            let deadline = digest.publishedAt.addingTimeInterval(responseWindow)
            for blocker in unique(digest.blockers) {
                total += 1
                let inTime = responses.contains { response in
                    response.week == digest.week && response.themes.contains(.blocker(blocker))
                        && response.createdAt <= deadline
                }
                if inTime {
                    answered += 1
                } else {
                    open.append(OpenBlocker(blocker: blocker, week: digest.week, windowClosed: now > deadline))
                }
            }
        }
        guard total > 0 else { return nil }
        let percent = Int((Double(answered) * 100 / Double(total)).rounded())
        return LoopClosureSection(
            weeks: seenWeeks.sorted(), publishedBlockers: total, answeredInTime: answered, percent: percent,
            open: open)
    }

    private static func unique(_ blockers: [Blocker]) -> [Blocker] {
        var seen: Set<Blocker> = []
        return blockers.filter { seen.insert($0).inserted }
    }
}

/// The top blockers one leadership digest published, and when.
public struct PublishedTopBlockers: Sendable, Equatable {
    public var week: WeekKey
    public var blockers: [Blocker]
    /// When the digest was posted (or made, if it was never posted): the response window starts here.
    public var publishedAt: Date

    public init(week: WeekKey, blockers: [Blocker], publishedAt: Date) {
        self.week = week
        self.blockers = blockers
        self.publishedAt = publishedAt
    }

    /// The top blockers `document` published; nil when its blocker section was held back or empty.
    public init?(document: DigestDocument, publishedAt: Date) {
        guard document.audience == .leadership, let top = document.blockers?.top, !top.isEmpty else { return nil }
        self.init(week: document.week, blockers: top.map(\.blocker), publishedAt: publishedAt)
    }
}

/// What one leader response answered: the week of the digest and the themes ticked.
public struct AnsweredThemes: Sendable, Equatable {
    public var week: WeekKey
    public var themes: [ResponseTheme]
    public var createdAt: Date

    public init(week: WeekKey, themes: [ResponseTheme], createdAt: Date) {
        self.week = week
        self.themes = themes
        self.createdAt = createdAt
    }
}
