/// The people of one training as their sources are read: each person once, in the order first named, and
/// never more than the limit.
///
/// Why a set beside the list: participant lists reach 100,000 people, and a membership test on an array
/// made collecting them quadratic (seconds of one CPU, during which the server could not answer). Each
/// ``add(_:)`` is one hash lookup, so collecting is linear in the ids read. Once the limit is exceeded the
/// roster stops growing: a user group or channel that turns out too large is reported, never silently cut.
///
/// Generic over the id so tests can count the work done per id.
public struct ParticipantRoster<ID: Hashable & Sendable>: Sendable {
    /// The most people a training may have.
    public let limit: Int
    /// The distinct ids in the order they were first added (at most `limit` of them).
    public private(set) var ids: [ID] = []
    /// True once a distinct id beyond `limit` was offered; the roster then accepts nothing more.
    public private(set) var isOverLimit = false
    private var seen: Set<ID> = []

    public init(limit: Int) {
        self.limit = max(0, limit)
    }

    /// Adds one id unless it is already there. Returns `false` when the limit was exceeded (by this id or
    /// earlier), so callers can stop reading their source.
    @discardableResult
    public mutating func add(_ id: ID) -> Bool {
        guard !isOverLimit else { return false }
        if ids.count < limit {
            if seen.insert(id).inserted { ids.append(id) }
            return true
        }
        // Full: a known id is fine, a new one is one too many.
        guard seen.contains(id) else {
            isOverLimit = true
            return false
        }
        return true
    }

    /// Adds ids in order, stopping at the first that exceeds the limit. Returns `false` when over the limit.
    @discardableResult
    public mutating func add<Source: Sequence<ID>>(contentsOf source: Source) -> Bool {
        for id in source where !add(id) { return false }
        return !isOverLimit
    }

    public var count: Int { ids.count }

    public func contains(_ id: ID) -> Bool { seen.contains(id) }
}
