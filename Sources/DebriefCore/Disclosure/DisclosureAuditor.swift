import Foundation

/// What one group of a week publishes, as the auditor models it.
enum GroupPublication: Sendable, Equatable {
    /// Shown: its respondents lie in `respondents` (the range shown), it had at most `reflectionsAtMost`
    /// reflections when a reflections range is shown (people ≤ reflections), and — when a share of people
    /// reporting a real difference is shown — `publish(yes, of: respondents, precision:)` gives `share`.
    case shown(
        respondents: ClosedRange<Int>, reflectionsAtMost: Int?, share: PublishedPercent?, precision: SharePrecision)
    /// Hidden. `belowThreshold` hidden groups carry the fact "fewer than k" (the reader knows the rule);
    /// groups hidden to protect others carry nothing.
    case hidden(belowThreshold: Bool)
}

/// A quantity whose value must not be pinned down by what is published.
struct SensitiveForm: Sendable, Hashable {
    enum Quantity: String, Sendable, Hashable {
        /// People in the cells who reflected.
        case respondents
        /// Of them, people who reported a real difference.
        case yes
        /// Of them, people who did not.
        case no
    }

    /// Atom indices (sorted).
    var atoms: [Int]
    var quantity: Quantity
    /// Which side a witness must lie on: -1 (below the true value), +1 (above), 0 (either).
    var direction: Int
}

/// A sensitive quantity the published numbers pin down: the digest must not be published as it is.
struct DisclosureFinding: Sendable, Equatable {
    var form: SensitiveForm
    /// Groups that are shown and contain some of the form's cells: hiding or coarsening one of them is the remedy.
    var touchingGroups: [Int]
    /// A short description for tests and logs (no counts).
    var summary: String
}

/// Checks one week's publication the way a reader who knows the org chart would attack it.
///
/// **Model** (`../shared/reference/disclosure.md` §2): cells of team × role with their headcount; in each,
/// some people reflected and some of those reported a real difference. Every shown group's range and share,
/// and every "fewer than k" of a hidden group, constrain the cells' counts. A sensitive quantity (a cell, a
/// hidden group, the difference of two shown groups, a small shown group, and with one insider's own record
/// known) is **protected** when another world, consistent with everything published, gives it another
/// value. Such a world is a *witness*.
///
/// **Search.** Witnesses are searched from the true world by unit changes (one person more or less, one
/// answer flipped) and repairs of the groups a change breaks, depth-first, best repair first, with a node
/// cap. A witness is accepted only when every shown group, re-rendered with the production functions
/// (`CountBucket`, `PublishedPercent.publish`), shows exactly what is published: what is audited is what is
/// shown, with no separate encoding that could drift. One witness protects every quantity it changes, so a
/// handful of searches usually settles a week.
///
/// **Fail closed.** A quantity without a certified witness — none found within the depth and node caps —
/// counts as pinned. The auditor can therefore over-suppress, never under-protect (within its model).
///
/// What a finding must satisfy (protection level 1 — the quantity is not a single point):
/// - a quantity over cells with fewer than k respondents: its people, and its yes and no answers, are not pinned;
/// - any quantity: "everyone in it reflected", "nobody reported a difference" and "everyone did" are not pinned
///   (group attribute disclosure), unless the roster alone already says so;
/// - a shown group with fewer than 20 respondents: neither its people nor its yes answers are pinned (a range
///   beside a share must fit at least two counts).
struct DisclosureAuditor: Sendable {
    let table: DisclosureTable
    let publications: [GroupPublication]
    let threshold: Int
    /// Depth of the repair search: unit changes in one witness.
    var maximumDepth = 8
    /// Nodes one search may visit before giving up (and failing closed).
    var maximumNodes = 800
    /// The release only needs one finding to change something and ask again; tests that ask *what* is pinned
    /// turn this off to get every pinned quantity.
    var stopsAtFirstFinding = true
    /// Nodes of the first, quick pass.
    static let quickNodes = 60
    /// Small shown groups below this many respondents must not have their counts pinned.
    static let smallGroup = SharePrecision.wholePercentFrom

    init(table: DisclosureTable, publications: [GroupPublication], threshold: Int) {
        self.table = table
        self.publications = publications
        self.threshold = max(1, threshold)
    }

    // MARK: - Forms

    /// Every sensitive quantity of the week, with the direction a witness must take.
    /// The cell sets whose quantities are sensitive: every cell, every hidden and every shown group, and the
    /// difference of any two overlapping shown groups. The same for every reader, so computed once per audit.
    func sensitiveSets() -> [[Int]] {
        var sets: [[Int]] = []
        var seen = Set<[Int]>()
        func add(_ atoms: [Int]) {
            let sorted = atoms.sorted()
            guard !sorted.isEmpty, seen.insert(sorted).inserted else { return }
            sets.append(sorted)
        }
        for atom in table.atoms.indices where table.roster[atom] > 0 { add([atom]) }
        for (group, publication) in publications.enumerated() {
            if case .hidden = publication { add(table.members[group]) }
        }
        let shown = publications.indices.filter { if case .shown = publications[$0] { true } else { false } }
        for group in shown { add(table.members[group]) }
        // Only groups sharing a cell overlap: found through the cells, not by intersecting every pair.
        var shownByAtom = Array(repeating: [Int](), count: table.atoms.count)
        for group in shown {
            for atom in table.members[group] { shownByAtom[atom].append(group) }
        }
        for first in shown {
            var overlapping = Set<Int>()
            for atom in table.members[first] { overlapping.formUnion(shownByAtom[atom]) }
            // In the order of `shown`, as every pair used to be visited: the order of `sets` orders the search.
            for second in overlapping.sorted() where first != second {
                add(Self.difference(table.members[first], table.members[second]))
            }
        }
        return sets
    }

    /// The atoms of `first` not in `second`, both sorted (as `DisclosureTable.members` are): one merge instead of
    /// hashing both into sets, for every overlapping pair of every audit round.
    static func difference(_ first: [Int], _ second: [Int]) -> [Int] {
        var result: [Int] = []
        var other = 0
        for atom in first {
            while other < second.count && second[other] < atom { other += 1 }
            if other < second.count && second[other] == atom { continue }
            result.append(atom)
        }
        return result
    }

    func sensitiveForms(insider: Insider?, sets: [[Int]]) -> [SensitiveForm] {
        let shown = publications.indices.filter { if case .shown = publications[$0] { true } else { false } }
        let shownSets = Set(shown.map { table.members[$0] })
        var forms: [SensitiveForm] = []
        for atoms in sets {
            // What the reader does not know already: an insider knows their own record.
            let headcount = atoms.reduce(0) { $0 + table.roster[$1] }
            let unknownToReader = headcount - (insider.map { atoms.contains($0.atom) ? 1 : 0 } ?? 0)
            guard unknownToReader > 0 else { continue }
            let respondents = atoms.reduce(0) { $0 + table.respondents[$1] }
            let yes = atoms.reduce(0) { $0 + table.yes[$1] }
            let isSmallShownGroup = respondents < Self.smallGroup && shownSets.contains(atoms)
            if respondents < threshold || isSmallShownGroup {
                forms.append(SensitiveForm(atoms: atoms, quantity: .respondents, direction: 0))
                if respondents > 0 {
                    forms.append(SensitiveForm(atoms: atoms, quantity: .yes, direction: 0))
                    if respondents < threshold {
                        forms.append(SensitiveForm(atoms: atoms, quantity: .no, direction: 0))
                    }
                }
            }
            // Group attribute disclosure: all reflected, nobody said yes, everybody said yes.
            if respondents == headcount && respondents > 0 && respondents >= threshold {
                forms.append(SensitiveForm(atoms: atoms, quantity: .respondents, direction: -1))
            }
            if respondents > 0 && yes == 0 { forms.append(SensitiveForm(atoms: atoms, quantity: .yes, direction: 1)) }
            if respondents > 0 && yes == respondents {
                forms.append(SensitiveForm(atoms: atoms, quantity: .no, direction: 1))
            }
        }
        // Smallest sets first: a witness for a cell often protects the larger sets around it too.
        var unique: [SensitiveForm] = []
        var known = Set<SensitiveForm>()
        for form in forms where known.insert(form).inserted { unique.append(form) }
        return unique.enumerated().sorted { ($0.element.atoms.count, $0.offset) < ($1.element.atoms.count, $1.offset) }
            .map(\.element)
    }

    // MARK: - Audit

    /// A reader who knows their own record: in which cell they are and what they did.
    struct Insider: Sendable, Equatable {
        enum State: Sendable, Equatable {
            case didNotReflect, reflectedNo, reflectedYes
        }

        var atom: Int
        var state: State
    }

    /// Every sensitive quantity the publication pins down (empty: safe to publish), for an outside reader
    /// and for a reader who is one of the people in a small cell and knows their own record (two suppressed
    /// one-person cells must not give each other away, the Handbook's PS2).
    func findings() -> [DisclosureFinding] {
        let basis = AuditBasis(auditor: self)
        var witnesses: [KnownWitness] = []
        var all = findings(insider: nil, witnesses: &witnesses, basis: basis)
        guard all.isEmpty || !stopsAtFirstFinding else { return all }
        // An outside witness that keeps an insider's own record protects the same quantities against that
        // insider: only the rest needs a new search (most insiders then need none).
        for insider in insiders() {
            var reused = witnesses
            let inside = findings(insider: insider, witnesses: &reused, basis: basis)
            if !inside.isEmpty && stopsAtFirstFinding { return inside }
            all += inside
        }
        return all
    }

    /// The coalitions of one worth checking: a person of each state in every cell with fewer than k
    /// respondents (knowing one's own record in a large cell narrows nothing that the outside check allows).
    func insiders() -> [Insider] {
        table.atoms.indices.flatMap { atom -> [Insider] in
            let respondents = table.respondents[atom]
            guard respondents < threshold, table.roster[atom] > 0 else { return [] }
            var states: [Insider.State] = []
            if respondents < table.roster[atom] { states.append(.didNotReflect) }
            if respondents - table.yes[atom] > 0 { states.append(.reflectedNo) }
            if table.yes[atom] > 0 { states.append(.reflectedYes) }
            return states.map { Insider(atom: atom, state: $0) }
        }
    }

    /// - Parameters:
    ///   - witnesses: worlds already known to publish exactly what is published (from another reader's audit);
    ///     those that keep this reader's own record protect what they move. Witnesses found here are added.
    ///   - basis: the audit's forms and shared caches, the same for every reader.
    func findings(insider: Insider?, witnesses: inout [KnownWitness], basis: AuditBasis) -> [DisclosureFinding] {
        var search = WitnessSearch(auditor: self, insider: insider, cache: basis.cache)
        guard search.truthIsConsistent() else {
            // The publication does not even describe the truth: an encoding bug. Fail closed on everything shown.
            return [
                DisclosureFinding(
                    form: SensitiveForm(atoms: Array(table.atoms.indices), quantity: .respondents, direction: 0),
                    touchingGroups: publications.indices.filter {
                        if case .shown = publications[$0] { true } else { false }
                    },
                    summary: "the publication does not match the data it was made from")
            ]
        }
        var open = basis.openForms(for: insider)
        var protected = FormSet(count: basis.forms.count)
        for witness in witnesses where search.admits(witness.world) { protected.formUnion(witness.moved) }
        open.removeAll { protected.contains($0) }
        // Two passes: a quick search for every form in both directions first (most witnesses are a few moves
        // away, and each protects several forms), then the full search for what is left — which stops at the
        // first form without a witness: one finding is enough for the release to change something and ask again.
        for (pass, cap) in [min(Self.quickNodes, maximumNodes), maximumNodes].enumerated() {
            var index = 0
            while index < open.count {
                let form = basis.forms[open[index]]
                var witness: WitnessSearch.World?
                for direction in form.direction == 0 ? [-1, 1] : [form.direction] {
                    if let found = search.witness(for: form, direction: direction, nodeCap: cap) {
                        witness = found
                        break
                    }
                }
                if let witness {
                    // One world protects every quantity it moves.
                    let known = basis.known(witness)
                    open.removeAll { known.moved.contains($0) }
                    witnesses.append(known)
                } else if pass == 1 && stopsAtFirstFinding {
                    return [
                        DisclosureFinding(form: form, touchingGroups: touching(form.atoms), summary: describe(form))
                    ]
                } else {
                    index += 1
                }
            }
        }
        return open.map { index in
            let form = basis.forms[index]
            return DisclosureFinding(form: form, touchingGroups: touching(form.atoms), summary: describe(form))
        }
    }

    /// Shown groups that contain at least one of `atoms`, smallest first.
    func touching(_ atoms: [Int]) -> [Int] {
        let set = Set(atoms)
        return publications.indices.filter { group in
            guard case .shown = publications[group] else { return false }
            return table.members[group].contains { set.contains($0) }
        }.sorted { (table.respondents($0), $0) < (table.respondents($1), $1) }
    }

    func describe(_ form: SensitiveForm) -> String {
        let cells = form.atoms.map { atom -> String in
            let key = table.atoms[atom]
            return "\(key.team ?? "no team")/\(key.role.rawValue)"
        }.joined(separator: "+")
        let side = form.direction == 0 ? "pinned" : (form.direction < 0 ? "pinned at its maximum" : "pinned at zero")
        return "\(form.quantity.rawValue) of [\(cells)] \(side)"
    }
}
