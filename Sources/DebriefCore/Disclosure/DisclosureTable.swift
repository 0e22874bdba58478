import Foundation

/// The finest cell digests know of: one team (or no team) × one role level.
public struct AtomKey: Sendable, Hashable, Codable, Comparable {
    public var team: String?
    public var role: RoleLevel

    public init(team: String?, role: RoleLevel) {
        self.team = team
        self.role = role
    }

    public static func < (lhs: AtomKey, rhs: AtomKey) -> Bool {
        let left = (lhs.team ?? "", lhs.team == nil ? 0 : 1, lhs.role.rawValue)
        let right = (rhs.team ?? "", rhs.team == nil ? 0 : 1, rhs.role.rawValue)
        return left < right
    }

    /// Whether the person in this cell is counted in `group`.
    public func belongs(to group: DigestGroup) -> Bool {
        switch group {
        case .organisation: true
        case .role(let level): role == level
        case .team(let name): team == name
        case .teamRole(let name, let level): team == name && role == level
        }
    }
}

/// How many people Debrief knows in each cell at the moment a week is released: the headcounts a reader who
/// knows the org chart knows too. Part of every release, so the week's audit can be repeated.
///
/// Every person is in exactly one cell. Cells absent from the roster are structurally empty: nobody holds
/// that role in that team, so they cannot hide anybody and cannot serve as a complement.
public struct WeekRoster: Sendable, Equatable, Codable {
    public struct Cell: Sendable, Equatable, Codable {
        public var team: String?
        public var role: RoleLevel
        public var people: Int

        public init(team: String?, role: RoleLevel, people: Int) {
            self.team = team
            self.role = role
            self.people = people
        }

        public var key: AtomKey { AtomKey(team: team, role: role) }
    }

    public var cells: [Cell]

    public init(cells: [Cell]) {
        var merged: [AtomKey: Int] = [:]
        for cell in cells where cell.people > 0 { merged[cell.key, default: 0] += cell.people }
        self.cells = merged.keys.sorted().map { Cell(team: $0.team, role: $0.role, people: merged[$0] ?? 0) }
    }

    /// People in `group`.
    public func headcount(of group: DigestGroup) -> Int {
        cells.reduce(0) { $0 + ($1.key.belongs(to: group) ? $1.people : 0) }
    }
}

/// One week as the disclosure auditor and the suppression plan see it: the cells (atoms) with their
/// headcount and true counts, and every group that could be published as a union of cells.
///
/// - Important: holds exact counts; it never leaves the core and is never published. What a reader sees is
///   computed from it and then checked against it.
struct DisclosureTable: Sendable {
    var atoms: [AtomKey]
    /// Headcount per atom (at least the respondents: a person who reflected is in the roster).
    var roster: [Int]
    /// Distinct respondents per atom.
    var respondents: [Int]
    /// Respondents who reported a real difference, per atom.
    var yes: [Int]
    /// Groups in a fixed order (`DigestGroup.sortKey`): organisation, roles, teams, team × role cells — those
    /// with anybody in them.
    var groups: [DigestGroup]
    /// Atom indices of each group.
    var members: [[Int]]
    /// Whether headcounts are known (a roster was given). Without one, every atom is assumed to have many
    /// more people than respondents, and cells without respondents are taken as structurally empty.
    var rosterKnown: Bool
    var groupIndex: [DigestGroup: Int]

    /// - Parameters:
    ///   - cells: exact counts per atom.
    ///   - roster: the week's headcounts, or nil when unknown (tests of the digest text).
    ///   - present: groups the stats describe; without a roster, only these can be published.
    init(cells: [AtomKey: (respondents: Int, yes: Int)], roster: WeekRoster?, present: Set<DigestGroup>) {
        var headcounts: [AtomKey: Int] = [:]
        for cell in roster?.cells ?? [] { headcounts[cell.key] = cell.people }
        let keys = Set(cells.keys).union(headcounts.keys).sorted()
        atoms = keys
        respondents = keys.map { max(0, cells[$0]?.respondents ?? 0) }
        yes = keys.map { key in min(max(0, cells[key]?.yes ?? 0), max(0, cells[key]?.respondents ?? 0)) }
        rosterKnown = roster != nil
        let headroomRoster = keys.map { key in
            let counted = max(0, cells[key]?.respondents ?? 0)
            guard let known = headcounts[key] else { return roster == nil ? counted + Self.unknownHeadroom : counted }
            return max(known, counted)
        }
        self.roster = headroomRoster
        var candidates: [DigestGroup] = [.organisation]
        candidates += RoleLevel.allCases.map { DigestGroup.role($0) }
        let teams = Set(keys.compactMap(\.team)).sorted()
        candidates += teams.map { DigestGroup.team($0) }
        for team in teams { candidates += RoleLevel.allCases.map { DigestGroup.teamRole(team, $0) } }
        var members: [[Int]] = []
        var kept: [DigestGroup] = []
        for group in candidates {
            let atomsOfGroup = keys.indices.filter { keys[$0].belongs(to: group) && headroomRoster[$0] > 0 }
            guard !atomsOfGroup.isEmpty, roster != nil || present.contains(group) else { continue }
            kept.append(group)
            members.append(atomsOfGroup)
        }
        self.groups = kept
        self.members = members
        var index: [DigestGroup: Int] = [:]
        for (position, group) in kept.enumerated() { index[group] = position }
        groupIndex = index
    }

    /// Headroom assumed when no roster is known: effectively "many more people than answered".
    static let unknownHeadroom = 1_000_000

    func headcount(_ group: Int) -> Int { members[group].reduce(0) { $0 + roster[$1] } }
    func respondents(_ group: Int) -> Int { members[group].reduce(0) { $0 + respondents[$1] } }
    func yes(_ group: Int) -> Int { members[group].reduce(0) { $0 + yes[$1] } }
}
