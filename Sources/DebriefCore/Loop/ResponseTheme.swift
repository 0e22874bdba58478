import Foundation

/// One published theme a leader's response can answer: a top blocker or a top use case, exactly as a stored
/// leadership digest showed it. Aggregates only: a theme names a vocabulary entry, never a person or a group.
///
/// Encoded as its stable key (`blocker:no_access`, `category:drafting`): the key travels in forms (Slack
/// checkbox values, Teams choice values) and is stored with the response.
public enum ResponseTheme: Sendable, Hashable, Codable, CustomStringConvertible {
    case blocker(Blocker)
    case category(TaskCategory)

    /// `blocker:<raw>` or `category:<raw>`.
    public var key: String {
        switch self {
        case .blocker(let blocker): "blocker:" + blocker.rawValue
        case .category(let category): "category:" + category.rawValue
        }
    }

    /// The theme a key names; nil for anything else.
    public init?(key: String) {
        if key.hasPrefix("blocker:"), let blocker = Blocker(rawValue: String(key.dropFirst("blocker:".count))) {
            self = .blocker(blocker)
        } else if key.hasPrefix("category:"),
            let category = TaskCategory(rawValue: String(key.dropFirst("category:".count)))
        {
            self = .category(category)
        } else {
            return nil
        }
    }

    /// How digests name it ("No access to tools", "Drafting").
    public var label: String {
        switch self {
        case .blocker(let blocker): "Blocker: " + DigestLabels.blocker(blocker)
        case .category(let category): "Use case: " + DigestLabels.category(category)
        }
    }

    public var description: String { key }

    public init(from decoder: any Decoder) throws {
        let key = try decoder.singleValueContainer().decode(String.self)
        guard let theme = ResponseTheme(key: key) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "unknown theme \(key)"))
        }
        self = theme
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(key)
    }

    /// The themes a leadership digest published, in the order it shows them: its top blockers, then its top use
    /// cases. Nothing else can be answered (a form offers these only, and a submission naming others is refused).
    public static func published(in document: DigestDocument) -> [ResponseTheme] {
        (document.blockers?.top.map { .blocker($0.blocker) } ?? [])
            + (document.categories?.top.map { .category($0.category) } ?? [])
    }
}

/// Who a leader's response is for: every team digest, or the digests of named teams.
public enum ResponseAudience: Sendable, Hashable, Codable {
    case allTeams
    /// Team names as the directory and the team digests spell them; never empty once validated.
    case teams([String])

    /// Whether a team's digest shows a response with this audience.
    public func includes(team: String) -> Bool {
        switch self {
        case .allTeams: true
        case .teams(let teams): teams.contains(team)
        }
    }

    /// "all teams" or "Sales, Support".
    public var label: String {
        switch self {
        case .allTeams: "all teams"
        case .teams(let teams): teams.joined(separator: ", ")
        }
    }
}
