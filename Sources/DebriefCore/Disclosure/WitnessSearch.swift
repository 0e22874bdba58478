import Foundation

/// The auditor's search for alternative worlds that publish exactly the same numbers.
///
/// Starts from the true world, applies one unit change that moves the quantity under test, then repairs the
/// groups that no longer publish what was published — always the broken group with the fewest cells first,
/// trying the repairs that leave the fewest groups broken first — until every group matches again (a witness)
/// or the depth or node cap is reached (no witness: fail closed).
struct WitnessSearch {
    /// Counts of every atom in a candidate world.
    struct World: Sendable, Equatable {
        var respondents: [Int]
        var yes: [Int]
    }

    /// One person more or fewer, or one answer flipped, in one cell.
    struct Move: Equatable {
        var atom: Int
        var respondents: Int
        var yes: Int

        var inverse: Move { Move(atom: atom, respondents: -respondents, yes: -yes) }
    }

    /// How far (in people) `distance` looks for a count that admits the published share.
    static let admissibleSearch = 12

    static let unitChanges: [(respondents: Int, yes: Int)] = [(1, 0), (1, 1), (-1, 0), (-1, -1), (0, 1), (0, -1)]

    let table: DisclosureTable
    let publications: [GroupPublication]
    let threshold: Int
    let maximumDepth: Int
    let maximumNodes: Int
    /// Groups that constrain anything (shown, or hidden below the threshold), per atom.
    let constrainingGroups: [[Int]]

    /// Admissible numerators per (group, people): `publish` runs two binary searches, and the search asks the
    /// same questions many times. One flat buffer indexed by group offset plus people (a group never has more
    /// than its headcount), as hashing nested dictionaries cost a fifth of an audit, and reading nested arrays
    /// of a class paid a dynamic exclusivity check per lookup (a third of a week's audit at 100,000 people).
    final class NumeratorCache {
        static let unknown = Int32.min
        /// Where each group's entries start, and how many it has (headcount + 1).
        private let offsets: [Int]
        private let counts: [Int]
        /// Per entry: the lowest admissible numerator, `unknown`, or 1 above `upper` for none.
        private let lower: UnsafeMutableBufferPointer<Int32>
        private let upper: UnsafeMutableBufferPointer<Int32>

        init(headcounts: [Int]) {
            var offsets: [Int] = []
            var total = 0
            for headcount in headcounts {
                offsets.append(total)
                total += max(0, headcount) + 1
            }
            self.offsets = offsets
            counts = headcounts.map { max(0, $0) + 1 }
            lower = .allocate(capacity: total)
            lower.initialize(repeating: NumeratorCache.unknown)
            upper = .allocate(capacity: total)
            upper.initialize(repeating: 0)
        }

        deinit {
            lower.deallocate()
            upper.deallocate()
        }

        /// The entry of `group` with `people`, or nil outside the cache.
        func slot(_ group: Int, _ people: Int) -> Int? {
            guard group >= 0, group < offsets.count, people >= 0, people < counts[group] else { return nil }
            return offsets[group] + people
        }

        /// The cached numerators of an entry: nil when not known yet, `.some(nil)` when none is admissible.
        func numerators(at slot: Int) -> ClosedRange<Int>?? {
            let low = lower[slot]
            guard low != NumeratorCache.unknown else { return nil }
            let high = upper[slot]
            return .some(low <= high ? Int(low)...Int(high) : nil)
        }

        func store(_ value: ClosedRange<Int>?, at slot: Int) {
            // Numerators lie within 0...people, which fits Int32 whenever the cache holds the entry.
            lower[slot] = value.map { Int32(clamping: $0.lowerBound) } ?? 1
            upper[slot] = value.map { Int32(clamping: $0.upperBound) } ?? 0
        }
    }
    let cache: NumeratorCache

    func numerators(_ group: Int, _ people: Int, _ share: PublishedPercent, _ precision: SharePrecision) -> ClosedRange<
        Int
    >? {
        guard let slot = cache.slot(group, people) else { return share.numerators(of: people, precision: precision) }
        if let known = cache.numerators(at: slot) { return known }
        let value = share.numerators(of: people, precision: precision)
        cache.store(value, at: slot)
        return value
    }

    var world: World
    var groupRespondents: [Int]
    var groupYes: [Int]
    var broken: [Bool]
    var brokenCount = 0
    var nodes = 0

    /// A reader inside the group who knows their own record (a coalition of one), or nil.
    let insider: DisclosureAuditor.Insider?

    /// - Parameter cache: admissible numerators already worked out for this publication (by another reader's
    ///   search); nil: a new cache.
    init(auditor: DisclosureAuditor, insider: DisclosureAuditor.Insider? = nil, cache: NumeratorCache? = nil) {
        let table = auditor.table
        self.table = table
        self.insider = insider
        publications = auditor.publications
        threshold = auditor.threshold
        maximumDepth = auditor.maximumDepth
        maximumNodes = auditor.maximumNodes
        var byAtom = Array(repeating: [Int](), count: table.atoms.count)
        for (group, members) in table.members.enumerated() {
            switch publications[group] {
            case .shown, .hidden(belowThreshold: true):
                for atom in members { byAtom[atom].append(group) }
            case .hidden(belowThreshold: false):
                break
            }
        }
        constrainingGroups = byAtom
        self.cache = cache ?? NumeratorCache(headcounts: table.groups.indices.map { table.headcount($0) })
        world = World(respondents: table.respondents, yes: table.yes)
        groupRespondents = table.members.map { $0.reduce(0) { $0 + table.respondents[$1] } }
        groupYes = table.members.map { $0.reduce(0) { $0 + table.yes[$1] } }
        broken = Array(repeating: false, count: table.groups.count)
    }

    /// Whether the true world itself publishes what is published (it must; otherwise the encoding is wrong).
    func truthIsConsistent() -> Bool {
        table.groups.indices.allSatisfy { distance($0) == 0 }
    }

    // MARK: - Groups

    /// 0 when group `group` publishes exactly what was published; otherwise how far it is from doing so
    /// (a wrong number of people weighs more than a wrong number of answers).
    func distance(_ group: Int) -> Int {
        distance(group, people: groupRespondents[group], answers: groupYes[group])
    }

    /// `distance(group)` if the group had `people` respondents of whom `answers` said yes.
    func distance(_ group: Int, people: Int, answers: Int) -> Int {
        switch publications[group] {
        case .hidden(belowThreshold: false):
            return 0
        case .hidden(belowThreshold: true):
            return max(0, people - (threshold - 1)) * 1_000
        case .shown(let range, let reflectionsAtMost, let share, let precision):
            var upper = range.upperBound
            if let reflectionsAtMost { upper = min(upper, reflectionsAtMost) }
            if people < range.lowerBound { return (range.lowerBound - people) * 1_000 }
            if people > upper { return (people - upper) * 1_000 }
            guard let share else { return 0 }
            guard let numerators = numerators(group, people, share, precision) else {
                // No number of yes answers gives the published share with this many people: the distance is
                // to the nearest count of people that can.
                for step in 1...Self.admissibleSearch {
                    for candidate in [people - step, people + step]
                    where candidate >= range.lowerBound && candidate <= upper
                        && numerators(group, candidate, share, precision) != nil
                    {
                        return step * 1_000
                    }
                }
                return (Self.admissibleSearch + 1) * 1_000
            }
            if answers < numerators.lowerBound { return numerators.lowerBound - answers }
            if answers > numerators.upperBound { return answers - numerators.upperBound }
            return 0
        }
    }

    // MARK: - Moves

    /// Whether `world` keeps the insider's own record (always true without an insider).
    func admits(_ world: World) -> Bool {
        guard let insider else { return true }
        return keepsInsider(people: world.respondents[insider.atom], answers: world.yes[insider.atom])
    }

    /// Whether the insider's cell with `people` respondents and `answers` yes answers still holds their own record.
    private func keepsInsider(people: Int, answers: Int) -> Bool {
        guard let insider else { return true }
        switch insider.state {
        case .didNotReflect: return people <= table.roster[insider.atom] - 1
        case .reflectedNo: return people - answers >= 1
        case .reflectedYes: return answers >= 1
        }
    }

    func isValid(_ move: Move) -> Bool {
        let people = world.respondents[move.atom] + move.respondents
        let answers = world.yes[move.atom] + move.yes
        guard people >= 0 && people <= table.roster[move.atom] && answers >= 0 && answers <= people else {
            return false
        }
        guard let insider, insider.atom == move.atom else { return true }
        // The insider's own record is known to the reader: every world keeps it.
        return keepsInsider(people: people, answers: answers)
    }

    mutating func apply(_ move: Move) {
        world.respondents[move.atom] += move.respondents
        world.yes[move.atom] += move.yes
        for group in constrainingGroups[move.atom] {
            groupRespondents[group] += move.respondents
            groupYes[group] += move.yes
            let isBroken = distance(group) > 0
            if isBroken != broken[group] {
                broken[group] = isBroken
                brokenCount += isBroken ? 1 : -1
            }
        }
    }

    /// What `apply(move)` would leave: the distance of `target` and the number of broken groups. Why not apply
    /// and undo: the repair weighs every unit change in the target's cells (thousands per node for a large group),
    /// and writing the world twice for each was half of an audit.
    func outcome(of move: Move, target: Int) -> (targetDistance: Int, broken: Int) {
        var broken = brokenCount
        var targetDistance = distance(target)
        for group in constrainingGroups[move.atom] {
            let after = distance(
                group, people: groupRespondents[group] + move.respondents, answers: groupYes[group] + move.yes)
            if (after > 0) != self.broken[group] { broken += after > 0 ? 1 : -1 }
            if group == target { targetDistance = after }
        }
        return (targetDistance, broken)
    }

    func value(of form: SensitiveForm, in world: World) -> Int {
        form.atoms.reduce(0) { total, atom in
            switch form.quantity {
            case .respondents: total + world.respondents[atom]
            case .yes: total + world.yes[atom]
            case .no: total + world.respondents[atom] - world.yes[atom]
            }
        }
    }

    /// Whether `world` gives `form` another value than the truth, on the side the form asks for.
    func moves(_ form: SensitiveForm, in world: World) -> Bool {
        let truth = value(of: form, in: World(respondents: table.respondents, yes: table.yes))
        let other = value(of: form, in: world)
        switch form.direction {
        case ..<0: return other < truth
        case 0: return other != truth
        default: return other > truth
        }
    }

    // MARK: - Search

    /// A world that publishes exactly what the truth publishes and moves `form` in `direction`, or nil.
    mutating func witness(for form: SensitiveForm, direction: Int, nodeCap: Int? = nil) -> World? {
        let cap = nodeCap ?? maximumNodes
        // No budget, no witness: fail closed.
        guard cap > 0 else { return nil }
        let truth = World(respondents: table.respondents, yes: table.yes)
        defer { reset(to: truth) }
        let directed = SensitiveForm(atoms: form.atoms, quantity: form.quantity, direction: direction)
        nodes = 0
        for seed in seeds(for: directed) where isValid(seed) {
            apply(seed)
            if repair(depth: 1, last: seed, form: directed, cap: cap) { return world }
            apply(seed.inverse)
            if nodes >= cap { break }
        }
        return nil
    }

    private mutating func reset(to truth: World) {
        world = truth
        groupRespondents = table.members.map { $0.reduce(0) { $0 + truth.respondents[$1] } }
        groupYes = table.members.map { $0.reduce(0) { $0 + truth.yes[$1] } }
        broken = Array(repeating: false, count: table.groups.count)
        brokenCount = 0
    }

    /// The unit changes in the form's cells that move it in its direction.
    func seeds(for form: SensitiveForm) -> [Move] {
        let changes: [(Int, Int)]
        switch (form.quantity, form.direction < 0) {
        case (.respondents, true): changes = [(-1, 0), (-1, -1)]
        case (.respondents, false): changes = [(1, 0), (1, 1)]
        case (.yes, true): changes = [(0, -1), (-1, -1)]
        case (.yes, false): changes = [(0, 1), (1, 1)]
        case (.no, true): changes = [(0, 1), (-1, 0)]
        case (.no, false): changes = [(0, -1), (1, 0)]
        }
        return form.atoms.flatMap { atom in changes.map { Move(atom: atom, respondents: $0.0, yes: $0.1) } }
    }

    private mutating func repair(depth: Int, last: Move, form: SensitiveForm, cap: Int) -> Bool {
        if brokenCount == 0 { return moves(form, in: world) }
        guard depth < maximumDepth, nodes < cap else { return false }
        nodes += 1
        // The broken group with the fewest cells: the most constrained choice.
        var target = -1
        for group in table.groups.indices where broken[group] {
            if target < 0 || table.members[group].count < table.members[target].count { target = group }
        }
        guard target >= 0 else { return false }
        let before = distance(target)
        var candidates: [(move: Move, broken: Int)] = []
        for atom in table.members[target] {
            for change in Self.unitChanges {
                let move = Move(atom: atom, respondents: change.respondents, yes: change.yes)
                guard move != last.inverse, isValid(move) else { continue }
                let outcome = outcome(of: move, target: target)
                if outcome.targetDistance < before { candidates.append((move, outcome.broken)) }
            }
        }
        candidates.sort { $0.broken < $1.broken }
        for candidate in candidates {
            apply(candidate.move)
            if repair(depth: depth + 1, last: candidate.move, form: form, cap: cap) { return true }
            apply(candidate.move.inverse)
            if nodes >= cap { return false }
        }
        return false
    }
}
