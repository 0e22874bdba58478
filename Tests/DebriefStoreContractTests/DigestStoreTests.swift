import DebriefCore
import DebriefStore
import DebriefStoreTestSupport
import Foundation
import Testing

/// The `DigestStore` contract: the aggregates digests are computed from. Runs against every backend in
/// `StoreBackend.all`.
@Suite("Digest aggregates in SQL", .cleansUpStores)
struct DigestStoreTests {
    // Wednesday 18 November 2026 is in ISO week 2026-W47; a week earlier is W46.
    let w47 = Date(timeIntervalSince1970: 1_795_000_000)
    var w46: Date { w47.addingTimeInterval(-7 * 86_400) }

    func person(_ store: any StoreUnderTest, _ id: String, role: String, team: String?) async throws -> Pseudonym {
        let pseudonym = Pseudonym(rawValue: "p_\(id)")
        let address = DeliveryAddress(platform: .slack, workspace: "T1", userID: id)
        try await store.upsertPerson(address, pseudonym: pseudonym, at: w46)
        try await store.assignRoles(
            [RoleAssignment(address: address, pseudonym: pseudonym, roleLevel: role, team: team)], at: w46)
        return pseudonym
    }

    func reflect(
        _ store: any StoreUnderTest, _ person: Pseudonym, at: Date, outcome: Outcome?, minutes: MinutesSaved? = nil,
        confidence: Int? = nil, blockers: [Blocker] = [], consent: Consent = .aggregateOnly,
        text: String = "did a thing"
    ) async throws {
        try await store.insertReflection(
            Reflection(
                id: UUID().uuidString, person: person, createdAt: at, source: .modal, text: text,
                taskCategory: .drafting, outcome: outcome, minutesSaved: minutes, confidence: confidence,
                blockers: blockers, consent: consent))
    }

    @Test(
        "cells count distinct respondents, outcomes, buckets and blockers per week, team and role",
        arguments: StoreBackend.all)
    func cells(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let lead = try await person(store, "L1", role: "leader", team: "Sales")
        let ic1 = try await person(store, "I1", role: "ic", team: "Sales")
        let ic2 = try await person(store, "I2", role: "ic", team: "Sales")
        try await reflect(
            store, lead, at: w47, outcome: .savedTime, minutes: .upTo30, confidence: 4, consent: .attributed,
            text: "Drafted the all-hands")
        try await reflect(
            store, ic1, at: w47, outcome: .noDifference, minutes: MinutesSaved.none, confidence: 2,
            blockers: [.policyUnclear, .noTime])
        try await reflect(
            store, ic1, at: w47.addingTimeInterval(3_600), outcome: .betterQuality, confidence: 3, blockers: [.noTime])
        try await reflect(
            store, ic2, at: w46, outcome: .worse, confidence: 1, consent: .anonymousQuote, text: "last week")

        let cells = try await store.weeklyCells(weeks: ["2026-W47", "2026-W46"])
        let icW47 = try #require(cells.first { $0.week == "2026-W47" && $0.roleLevel == "ic" })
        #expect(icW47.team == "Sales")
        #expect(icW47.respondents == 1, "I1 reflected twice but is one respondent")
        #expect(icW47.reflections == 2)
        #expect(icW47.respondentsReportingDifference == 1)
        #expect(
            icW47.outcomes["no_difference"] == 1 && icW47.outcomes["better_quality"] == 1
                && icW47.outcomes["saved_time"] == 0)
        #expect(
            icW47.blockers["no_time"] == 2 && icW47.blockers["policy_unclear"] == 1 && icW47.blockers["no_access"] == 0)
        #expect(icW47.confidence[2] == 1 && icW47.confidence[3] == 1)
        #expect(icW47.minutesSaved["0"] == 1)
        let leaderW47 = try #require(cells.first { $0.week == "2026-W47" && $0.roleLevel == "leader" })
        #expect(leaderW47.minutesSaved["16-30"] == 1)
        let icW46 = try #require(cells.first { $0.week == "2026-W46" })
        #expect(icW46.respondents == 1 && icW46.outcomes["worse"] == 1 && icW46.respondentsReportingDifference == 0)

        let quotes = try await store.quoteCandidates(week: "2026-W47", limit: 10)
        #expect(quotes.count == 1)
        #expect(quotes[0].consent == .attributed && quotes[0].userID == "L1" && quotes[0].roleLevel == "leader")
        let lastWeek = try await store.quoteCandidates(week: "2026-W46", limit: 10)
        #expect(lastWeek.count == 1 && lastWeek[0].userID == nil, "anonymous quotes carry no way back to the person")
    }

    @Test(
        "the directory replaces only the side it is configured for; the admin API's other side stays",
        arguments: StoreBackend.all)
    func partialReplace(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let lead = try await person(store, "ULEAD", role: "leader", team: "Sales")
        let other = try await person(store, "UOTHER", role: "manager", team: "Support")
        // Role groups only: everyone not named becomes an IC, but teams are left alone.
        let address = DeliveryAddress(platform: .slack, workspace: "T1", userID: "ULEAD")
        try await store.replaceRoles(
            [RoleAssignment(address: address, pseudonym: lead, roleLevel: "leader", team: nil)],
            resettingRoleLevels: true, resettingTeams: false)
        let otherNow = try #require(try await store.roleAndTeam(of: other))
        #expect(otherNow.roleLevel == "ic" && otherNow.team == "Support")
        let leadNow = try #require(try await store.roleAndTeam(of: lead))
        #expect(leadNow.roleLevel == "leader" && leadNow.team == "Sales")
        // Team groups too: a person in no team group loses the team.
        try await store.replaceRoles([], resettingRoleLevels: false, resettingTeams: true)
        #expect(try await store.roleAndTeam(of: lead)?.team == nil)
        #expect(try await store.roleAndTeam(of: lead)?.roleLevel == "leader")
    }

    @Test(
        "the admin API's assignment adds people Debrief has not met, under their pseudonym only",
        arguments: StoreBackend.all)
    func assignCreatesPeople(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let newcomer = Pseudonym(rawValue: "p_newcomer")
        let address = DeliveryAddress(platform: .slack, workspace: "T1", userID: "UNEW")
        let updated = try await store.assignRoles(
            [RoleAssignment(address: address, pseudonym: newcomer, roleLevel: nil, team: "Sales")], at: w47)
        #expect(updated == 1)
        let stored = try #require(try await store.roleAndTeam(of: newcomer))
        #expect(stored.roleLevel == "ic" && stored.team == "Sales")
        let export = try #require(try await store.exportPerson(newcomer))
        #expect(export.reflections.isEmpty)
    }

    @Test("a digest is created once per target and week", arguments: StoreBackend.all)
    func digestUniqueness(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let first = try await store.createDigest(
            StoredDigest(id: "d1", target: "leadership", week: "2026-W47", document: Data("{}".utf8), createdAt: w47))
        let second = try await store.createDigest(
            StoredDigest(
                id: "d2", target: "leadership", week: "2026-W47", document: Data("{\"x\":1}".utf8), createdAt: w47))
        #expect(first.id == "d1" && second.id == "d1", "the second writer gets the first digest back")
        #expect(try await store.markDigestPosting(id: "d1", startedAt: w47, staleBefore: w47.addingTimeInterval(-120)))
        #expect(
            try await store.markDigestPosting(
                id: "d1", startedAt: w47.addingTimeInterval(10), staleBefore: w47.addingTimeInterval(-110))
                == false, "a second poster backs off while the first is fresh")
        #expect(
            try await store.markDigestPosting(
                id: "d1", startedAt: w47.addingTimeInterval(300), staleBefore: w47.addingTimeInterval(180)),
            "a poster that died long ago is taken over")
        try await store.markDigestPosted(id: "d1", channel: "C1", ts: "1.1", at: w47)
        try await store.markDigestPosted(id: "d1", channel: "C1", ts: "2.2", at: w47)
        #expect(try await store.digest(id: "d1")?.messageTS == "1.1")
    }
}

/// The aggregates checked against the same counts computed in Swift from the same inputs, on a data set large and
/// varied enough that a backend aggregating differently (a NULL counted, a person counted twice, a blocker matched
/// as a substring) gives a different number somewhere.
extension DigestStoreTests {
    /// A deterministic generator (SplitMix64): the same data set on every backend and every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct SamplePerson {
        let id: String
        let role: String
        let team: String?
        var pseudonym: Pseudonym { Pseudonym(rawValue: "p_\(id)") }
        var address: DeliveryAddress { DeliveryAddress(platform: .slack, workspace: "T1", userID: id) }
    }

    struct SampleReflection {
        let person: SamplePerson
        let week: String
        let reflection: Reflection
    }

    /// Monday 2 November 2026, 00:00 UTC: the first day of ISO week 2026-W45.
    static let w45Monday = Date(timeIntervalSince1970: 1_793_577_600)
    static let sampleWeeks = ["2026-W45", "2026-W46", "2026-W47"]

    static func samplePeople() -> [SamplePerson] {
        let roles = ["leader", "manager", "ic"]
        let teams: [String?] = ["Sales", "Support", "Engineering", nil]
        return (0..<40).map { index in
            SamplePerson(
                id: "U\(100 + index)", role: roles[index % roles.count], team: teams[(index / 3) % teams.count])
        }
    }

    static func sampleReflections(of people: [SamplePerson]) -> [SampleReflection] {
        var random = SeededGenerator(state: 47)
        func maybe<T>(_ values: [T]) -> T? {
            Int.random(in: 0...values.count, using: &random) == 0 ? nil : values.randomElement(using: &random)
        }
        return (0..<200).compactMap { index -> SampleReflection? in
            guard let person = people.randomElement(using: &random) else { return nil }
            let weekIndex = Int.random(in: 0..<sampleWeeks.count, using: &random)
            let seconds = Double(weekIndex * 7 * 86_400 + Int.random(in: 0..<(7 * 86_400), using: &random))
            let blockers = Blocker.allCases.filter { _ in Int.random(in: 0..<4, using: &random) == 0 }
            let reflection = Reflection(
                id: "r\(index)", person: person.pseudonym, createdAt: w45Monday.addingTimeInterval(seconds),
                source: Bool.random(using: &random) ? .modal : .quick, text: "reflection \(index)",
                taskCategory: maybe(TaskCategory.allCases), tool: maybe(["ChatGPT", "Copilot"]),
                outcome: maybe(Outcome.allCases), minutesSaved: maybe(MinutesSaved.allCases),
                confidence: maybe(Array(1...5)), blockers: blockers,
                consent: Consent.allCases.randomElement(using: &random) ?? .aggregateOnly,
                trainingID: [nil, "t1", "t2", "t3"].randomElement(using: &random) ?? nil)
            return SampleReflection(person: person, week: sampleWeeks[weekIndex], reflection: reflection)
        }
    }

    /// The cells as the contract defines them, counted in Swift.
    static func expectedCells(_ samples: [SampleReflection]) -> [WeeklyCellStats] {
        let groups = Dictionary(grouping: samples) { "\($0.week)|\($0.person.team ?? "-")|\($0.person.role)" }
        return groups.values.compactMap { group -> WeeklyCellStats? in
            guard let first = group.first else { return nil }
            let reflections = group.map(\.reflection)
            func people(_ include: (Reflection) -> Bool) -> Int {
                Set(reflections.filter(include).map(\.person)).count
            }
            func counts<Value: Hashable>(_ values: [Value], _ field: (Reflection) -> Value?) -> [Value: Int] {
                Dictionary(
                    uniqueKeysWithValues: values.map { value in
                        (value, reflections.filter { field($0) == value }.count)
                    })
            }
            let difference: Set<Outcome> = [.savedTime, .betterQuality, .newCapability]
            return WeeklyCellStats(
                week: first.week, team: first.person.team, roleLevel: first.person.role,
                respondents: people { _ in true }, reflections: reflections.count,
                respondentsReportingDifference: people { $0.outcome.map(difference.contains) ?? false },
                outcomes: Dictionary(
                    uniqueKeysWithValues: counts(Outcome.allCases, \.outcome).map { ($0.key.rawValue, $0.value) }),
                minutesSaved: Dictionary(
                    uniqueKeysWithValues: counts(MinutesSaved.allCases, \.minutesSaved).map {
                        ($0.key.rawValue, $0.value)
                    }),
                confidence: counts(Array(1...5), \.confidence),
                categories: Dictionary(
                    uniqueKeysWithValues: counts(TaskCategory.allCases, \.taskCategory).map {
                        ($0.key.rawValue, $0.value)
                    }),
                blockers: Dictionary(
                    uniqueKeysWithValues: Blocker.allCases.map { blocker in
                        (blocker.rawValue, reflections.filter { $0.blockers.contains(blocker) }.count)
                    }),
                answeredBy: [
                    "outcome": people { $0.outcome != nil }, "minutes_saved": people { $0.minutesSaved != nil },
                    "confidence": people { $0.confidence != nil }, "category": people { $0.taskCategory != nil },
                ])
        }
    }

    static func cellKey(_ cell: WeeklyCellStats) -> String { "\(cell.week)|\(cell.team ?? "-")|\(cell.roleLevel)" }

    @Test(
        "200 varied reflections: every cell and cohort count equals the same count made in Swift",
        arguments: StoreBackend.all)
    func aggregatesMatchSwift(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let people = Self.samplePeople()
        for person in people {
            _ = try await self.person(store, person.id, role: person.role, team: person.team)
        }
        // t1 and t2 ended before the cut-off (t1 first), t3 after it; their cohorts overlap, and some reflections
        // name a training their author is not a participant of.
        let trainings: [(id: String, endedAt: Date, members: Range<Int>)] = [
            ("t2", Self.w45Monday.addingTimeInterval(-86_400), 10..<30),
            ("t1", Self.w45Monday.addingTimeInterval(-3 * 86_400), 0..<15),
            ("t3", Self.w45Monday.addingTimeInterval(24 * 86_400), 0..<40),
        ]
        for training in trainings {
            try await store.registerTraining(
                Training(
                    id: training.id, workspace: "T1", title: "Training \(training.id)", topic: nil,
                    endedAt: training.endedAt, sequenceID: "default", createdAt: training.endedAt),
                participants: people[training.members].map {
                    TrainingParticipant(pseudonym: $0.pseudonym, address: $0.address, timeZone: nil)
                }, jobs: [])
        }
        let samples = Self.sampleReflections(of: people)
        for sample in samples { try await store.insertReflection(sample.reflection) }

        let cells = try await store.weeklyCells(weeks: Self.sampleWeeks + ["2026-W48"])
        let expected = Self.expectedCells(samples)
        #expect(expected.map(\.reflections).reduce(0, +) == samples.count)
        #expect(cells.count == expected.count)
        let byKey = Dictionary(uniqueKeysWithValues: expected.map { (Self.cellKey($0), $0) })
        for cell in cells.sorted(by: { Self.cellKey($0) < Self.cellKey($1) }) {
            #expect(cell == byKey[Self.cellKey(cell)], "cell \(Self.cellKey(cell))")
        }

        let cutOff = Self.w45Monday.addingTimeInterval(14 * 86_400)
        let difference: Set<Outcome> = [.savedTime, .betterQuality, .newCapability]
        let expectedCohorts = trainings.filter { $0.endedAt < cutOff }.sorted { $0.endedAt < $1.endedAt }.map {
            training -> TrainingCohortStats in
            let members = Set(people[training.members].map(\.pseudonym))
            let own = samples.filter {
                $0.reflection.trainingID == training.id && members.contains($0.person.pseudonym)
            }
            let byPerson = Dictionary(grouping: own) { $0.person.pseudonym }
            return TrainingCohortStats(
                trainingID: training.id, title: "Training \(training.id)", participants: members.count,
                reflected: byPerson.count,
                applied: byPerson.values.filter {
                    $0.contains { $0.reflection.outcome.map(difference.contains) ?? false }
                }
                .count,
                repeated: byPerson.values.filter { Set($0.map(\.week)).count >= 2 }.count)
        }
        #expect(expectedCohorts.map(\.trainingID) == ["t1", "t2"])
        #expect(try await store.cohortStats(endedBefore: cutOff) == expectedCohorts)
    }

    /// Makes a pooled store open all its connections first, so the writers below really run side by side (a pool
    /// that opens lazily would otherwise serve them one after the other on its first connection).
    static func openEveryConnection(of store: any StoreUnderTest) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 { group.addTask { _ = try await store.weeklyCells(weeks: ["2026-W01"]) } }
            try await group.waitForAll()
        }
    }

    @Test(
        "ten replicas creating one week's digest at once all get the one stored row; one of ten posters wins",
        arguments: StoreBackend.all)
    func concurrentDigestCreation(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let week = w47
        try await Self.openEveryConnection(of: store)
        let created = try await withThrowingTaskGroup(of: StoredDigest.self) { group in
            for index in 0..<10 {
                group.addTask {
                    try await store.createDigest(
                        StoredDigest(
                            id: "d\(index)", target: "leadership", week: "2026-W47",
                            document: Data("{\"writer\":\(index)}".utf8), createdAt: week))
                }
            }
            var created: [StoredDigest] = []
            for try await digest in group { created.append(digest) }
            return created
        }
        let stored = try #require(try await store.digest(target: "leadership", week: "2026-W47"))
        #expect(created.count == 10)
        #expect(created.allSatisfy { $0 == stored }, "every writer gets the row that is stored")
        #expect(
            stored.document == Data("{\"writer\":\(stored.id.dropFirst())}".utf8), "the winner's document, whole")

        let claims = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<10 {
                group.addTask {
                    try await store.markDigestPosting(
                        id: stored.id, startedAt: week.addingTimeInterval(Double(index)),
                        staleBefore: week.addingTimeInterval(-120))
                }
            }
            var claims: [Bool] = []
            for try await claim in group { claims.append(claim) }
            return claims
        }
        #expect(claims.filter { $0 }.count == 1, "exactly one replica posts: \(claims)")
    }

    @Test(
        "a week's release is stored once and served back; the latest earlier release and the roster are found",
        arguments: StoreBackend.all)
    func releasesOnce(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let first = Data("w46-first".utf8)
        #expect(try await store.createRelease(week: "2026-W46", release: first, at: w46) == first)
        #expect(
            try await store.createRelease(week: "2026-W46", release: Data("w46-second".utf8), at: w47) == first,
            "a release is never rewritten")
        let at = w47
        let concurrent = try await withThrowingTaskGroup(of: Data.self) { group in
            for index in 0..<10 {
                group.addTask {
                    try await store.createRelease(week: "2026-W47", release: Data("w47-\(index)".utf8), at: at)
                }
            }
            var releases: [Data] = []
            for try await release in group { releases.append(release) }
            return releases
        }
        #expect(Set(concurrent).count == 1, "every writer of a week gets the one stored release")
        let w47Release = try #require(concurrent.first)

        #expect(try await store.releases(weeks: ["2026-W45", "2026-W46"]) == ["2026-W46": first])
        #expect(try await store.releases(weeks: []) == [:])
        #expect(try await store.latestRelease(before: "2026-W47") == first)
        #expect(try await store.latestRelease(before: "2026-W46") == nil)
        #expect(try await store.latestRelease(before: "2027-W01") == w47Release, "across the turn of the year")

        _ = try await store.createDigest(
            StoredDigest(id: "d1", target: "leadership", week: "2026-W47", document: Data("{}".utf8), createdAt: at))
        #expect(try await store.weeksWithDigests(["2026-W46", "2026-W47"]) == ["2026-W47"])

        _ = try await person(store, "UA", role: "leader", team: "Sales")
        _ = try await person(store, "UB", role: "ic", team: "Sales")
        _ = try await person(store, "UC", role: "ic", team: "Sales")
        _ = try await person(store, "UD", role: "ic", team: nil)
        let roster = try await store.roster()
        let cells = roster.cells.sorted { "\($0.team ?? "-")\($0.role)" < "\($1.team ?? "-")\($1.role)" }
        #expect(
            cells == [
                WeekRoster.Cell(team: nil, role: .ic, people: 1), WeekRoster.Cell(team: "Sales", role: .ic, people: 2),
                WeekRoster.Cell(team: "Sales", role: .leader, people: 1),
            ])
    }
}
