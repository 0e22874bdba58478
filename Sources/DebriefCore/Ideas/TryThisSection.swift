import Foundation

/// A team digest's "Try this": one colleague's example for the team's most common use case, from anywhere in
/// the organisation — or, when the digest does not publish the team's use cases (too few answers to break them
/// down), one of the organisation's most useful examples of any use case: choosing by the team's hidden top
/// category would publish it.
///
/// - Important: chosen only when at least k-for-quotes people have agreed to quotes organisation-wide; the
///   author is never in the receiving team, and is in no team or in a team of at least k people (a team
///   smaller than k could narrow an anonymous example down to a handful of people); the text is scrubbed like
///   a quote and named only when the author chose `attributed`. The category is the team's top category as the
///   digest publishes it (already above k), so the section itself adds no number about the team.
public struct TryThisSection: Sendable, Equatable, Codable {
    /// The team's most common use case as the digest publishes it, which the example matches; nil when the digest
    /// does not publish the team's use cases (the example is then one of the organisation's most useful).
    public var teamTopCategory: TaskCategory?
    public var example: IdeaExample

    public init(teamTopCategory: TaskCategory?, example: IdeaExample) {
        self.teamTopCategory = teamTopCategory
        self.example = example
    }
}

extension DigestDocument {
    /// The team's most common use case as this document publishes it; nil when hidden or not a team digest.
    public var topPublishedCategory: TaskCategory? {
        guard case .team = audience else { return nil }
        return categories?.top.first?.category
    }

    /// The document with `section` as its "Try this", shown last; team digests only (leadership: unchanged).
    public func addingTryThis(_ section: TryThisSection?) -> DigestDocument {
        guard case .team = audience, let section else { return self }
        var document = self
        document.tryThis = section
        document.sectionOrder.removeAll { $0 == .tryThis }
        document.sectionOrder.append(.tryThis)
        return document
    }
}
