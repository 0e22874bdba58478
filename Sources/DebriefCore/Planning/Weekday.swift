/// A day of the week, numbered as ISO 8601 does (Monday = 1 … Sunday = 7).
///
/// The planner reasons about a person's week in their own calendar; ISO numbering keeps "the week starts on
/// Monday" independent of any locale's first-weekday setting, which is also how digests key their weeks.
public enum Weekday: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// 1 for Monday through 7 for Sunday.
    public var isoNumber: Int {
        switch self {
        case .monday: 1
        case .tuesday: 2
        case .wednesday: 3
        case .thursday: 4
        case .friday: 5
        case .saturday: 6
        case .sunday: 7
        }
    }

    public init?(isoNumber: Int) {
        guard (1...7).contains(isoNumber) else { return nil }
        self = Self.allCases[isoNumber - 1]
    }

    /// The day after this one, wrapping from Sunday to Monday.
    public var next: Weekday { Self.allCases[isoNumber % 7] }

    /// The three-letter English abbreviation, for logs and previews ("Mon").
    public var shortName: String {
        switch self {
        case .monday: "Mon"
        case .tuesday: "Tue"
        case .wednesday: "Wed"
        case .thursday: "Thu"
        case .friday: "Fri"
        case .saturday: "Sat"
        case .sunday: "Sun"
        }
    }

    public static let mondayToFriday: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.isoNumber < rhs.isoNumber }
}
