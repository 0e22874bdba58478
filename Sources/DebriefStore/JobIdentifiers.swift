/// Platform identities a job must act on — participants an admin named by user id or e-mail, the admin to
/// tell the result — kept apart from the job's parameters.
///
/// Why apart: parameters are opaque to the store, identifiers are not. The store seals them at rest, drops
/// them when the job finishes (a finished job keeps no ids), and removes an erased person's id from every job
/// that still holds it, whatever its state, so a queued job cannot bring them back.
/// Named lists keep their meaning for the handler (`"users"`, `"emails"`, `"notify"`).
public struct JobIdentifiers: Sendable, Equatable, Codable {
    public private(set) var lists: [String: [String]]

    public init(_ lists: [String: [String]] = [:]) {
        self.lists = lists.filter { !$0.value.isEmpty }
    }

    public static let none = JobIdentifiers()

    public var isEmpty: Bool { lists.isEmpty }

    /// The identifiers of one list; empty when the list does not exist.
    public subscript(_ name: String) -> [String] { lists[name] ?? [] }

    /// Removes `identifier` from every list (exact match); returns whether anything went.
    @discardableResult
    public mutating func remove(_ identifier: String) -> Bool {
        var removed = false
        for (name, values) in lists {
            let kept = values.filter { $0 != identifier }
            guard kept.count != values.count else { continue }
            removed = true
            lists[name] = kept.isEmpty ? nil : kept
        }
        return removed
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([String: [String]].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(lists)
    }
}
