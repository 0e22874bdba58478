import Foundation

/// "You said, we did" in a team digest: what leaders said will change, in answer to the blockers and use cases
/// the digests showed. Each response appears in the team digest of the week it was written in, once.
public struct YouSaidWeDidSection: Sendable, Equatable, Codable {
    public var responses: [DigestLeaderResponse]

    public init(responses: [DigestLeaderResponse]) { self.responses = responses }
}

/// One leader's response as a digest shows it.
///
/// - Important: the only name in it is the responding leader's display name from the directory (leaders consent
///   to being named by responding; the form says so). The text is scrubbed of colleagues' names like quotes.
public struct DigestLeaderResponse: Sendable, Equatable, Codable {
    public var displayName: String
    public var text: String
    /// The themes it answers, as published.
    public var themes: [ResponseTheme]
    /// The leadership digest it answers.
    public var answeredWeek: WeekKey

    public init(displayName: String, text: String, themes: [ResponseTheme], answeredWeek: WeekKey) {
        self.displayName = displayName
        self.text = text
        self.themes = themes
        self.answeredWeek = answeredWeek
    }
}

/// Loop closure in the leadership digest (``LoopClosure``): counts of published blocker items, never of people.
public struct LoopClosureSection: Sendable, Equatable, Codable {
    /// The earlier digests looked at, oldest first.
    public var weeks: [WeekKey]
    /// (week, blocker) items those digests published as top blockers.
    public var publishedBlockers: Int
    /// Items a leader answered within ``LoopClosure/responseWindow`` of the digest.
    public var answeredInTime: Int
    /// `answeredInTime` of `publishedBlockers`, rounded.
    public var percent: Int
    /// Items without a response in time, newest week first.
    public var open: [OpenBlocker]

    public init(weeks: [WeekKey], publishedBlockers: Int, answeredInTime: Int, percent: Int, open: [OpenBlocker]) {
        self.weeks = weeks
        self.publishedBlockers = publishedBlockers
        self.answeredInTime = answeredInTime
        self.percent = percent
        self.open = open
    }
}

/// A published top blocker nobody answered (yet).
public struct OpenBlocker: Sendable, Equatable, Codable {
    public var blocker: Blocker
    public var week: WeekKey
    /// True once the response window passed: it no longer counts as answered in time even if answered now.
    public var windowClosed: Bool

    public init(blocker: Blocker, week: WeekKey, windowClosed: Bool) {
        self.blocker = blocker
        self.week = week
        self.windowClosed = windowClosed
    }
}

extension DigestDocument {
    /// Adds "You said, we did" to a team digest, first among its sections (team digests open with what leaders
    /// did); an empty list changes nothing.
    public mutating func addYouSaidWeDid(_ responses: [DigestLeaderResponse]) {
        guard case .team = audience, !responses.isEmpty else { return }
        youSaidWeDid = YouSaidWeDidSection(responses: responses)
        sectionOrder.removeAll { $0 == .youSaidWeDid }
        sectionOrder.insert(.youSaidWeDid, at: 0)
    }

    /// Adds loop closure to a leadership digest, right after its blockers (or last).
    public mutating func addLoopClosure(_ section: LoopClosureSection?) {
        guard audience == .leadership, let section else { return }
        loopClosure = section
        sectionOrder.removeAll { $0 == .loopClosure }
        if let index = sectionOrder.firstIndex(of: .blockers) {
            sectionOrder.insert(.loopClosure, at: index + 1)
        } else {
            sectionOrder.append(.loopClosure)
        }
    }
}
