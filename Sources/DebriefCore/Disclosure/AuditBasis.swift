/// What one audit's readers share: the sensitive forms of the week, which witness moves which form, and the
/// admissible-numerator cache.
///
/// Why: a week is audited for an outside reader and then for one insider per state of every cell with fewer
/// than k respondents — hundreds of readers at 100,000 people. Each reader's forms are the outside reader's
/// minus those they already know (a one-person set holding their own record), and whether a world moves a
/// form does not depend on the reader. Computing both once per audit, and a witness's moved forms once as a
/// bitset over its few changed cells, took the audit of a 200-team, 100,000-person week from 0.97 s to 0.22 s;
/// what each reader decides is unchanged (`findings(insider:witnesses:basis:)` still goes form by form, in the
/// same order, with the same searches), and `DisclosureAuditEquivalenceTests` holds it to the plain audit.
struct AuditBasis {
    /// Every sensitive quantity of the week for a reader who knows nothing beyond the roster, smallest sets
    /// first (`DisclosureAuditor.sensitiveForms(insider: nil, sets:)`).
    let forms: [SensitiveForm]
    /// Per form: the people in its cells (a one-person form is known to the person in it).
    let headcounts: [Int]
    /// Per atom: the forms over it.
    let formsByAtom: [[Int]]
    let truth: WitnessSearch.World
    /// Shared by every reader's search: admissible numerators depend on the publication only.
    let cache: WitnessSearch.NumeratorCache

    init(auditor: DisclosureAuditor) {
        let table = auditor.table
        forms = auditor.sensitiveForms(insider: nil, sets: auditor.sensitiveSets())
        headcounts = forms.map { form in form.atoms.reduce(0) { $0 + table.roster[$1] } }
        var byAtom = Array(repeating: [Int](), count: table.atoms.count)
        for (index, form) in forms.enumerated() {
            for atom in form.atoms { byAtom[atom].append(index) }
        }
        formsByAtom = byAtom
        truth = WitnessSearch.World(respondents: table.respondents, yes: table.yes)
        cache = WitnessSearch.NumeratorCache(headcounts: table.groups.indices.map { table.headcount($0) })
    }

    /// The forms `insider` does not know already, in the outside reader's order: the same list
    /// `sensitiveForms(insider:sets:)` makes, as indices into `forms`.
    func openForms(for insider: DisclosureAuditor.Insider?) -> [Int] {
        guard let insider else { return Array(forms.indices) }
        return forms.indices.filter { index in
            !(headcounts[index] == 1 && forms[index].atoms.contains(insider.atom))
        }
    }

    /// A witness with the forms it moves (`WitnessSearch.moves`), found from the cells where it differs from
    /// the truth.
    func known(_ world: WitnessSearch.World) -> KnownWitness {
        var change = [Int: Int]()
        for atom in world.respondents.indices {
            let respondents = world.respondents[atom] - truth.respondents[atom]
            let yes = world.yes[atom] - truth.yes[atom]
            guard respondents != 0 || yes != 0 else { continue }
            for form in formsByAtom[atom] {
                let step =
                    switch forms[form].quantity {
                    case .respondents: respondents
                    case .yes: yes
                    case .no: respondents - yes
                    }
                change[form, default: 0] += step
            }
        }
        var moved = FormSet(count: forms.count)
        for (form, delta) in change {
            let direction = forms[form].direction
            let moves = direction < 0 ? delta < 0 : direction == 0 ? delta != 0 : delta > 0
            if moves { moved.insert(form) }
        }
        return KnownWitness(world: world, moved: moved)
    }
}

/// A world that publishes exactly what is published, with the forms (indices into `AuditBasis.forms`) it gives
/// another value on their side.
struct KnownWitness {
    var world: WitnessSearch.World
    var moved: FormSet
}

/// A set of form indices as bits.
struct FormSet {
    private var words: [UInt64]

    init(count: Int) { words = Array(repeating: 0, count: (count + 63) / 64) }

    func contains(_ index: Int) -> Bool { words[index / 64] & (1 << UInt64(index % 64)) != 0 }

    mutating func insert(_ index: Int) { words[index / 64] |= 1 << UInt64(index % 64) }

    mutating func formUnion(_ other: FormSet) {
        for index in words.indices { words[index] |= other.words[index] }
    }
}
