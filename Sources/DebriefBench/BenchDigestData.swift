import DebriefCore
import DebriefServer
import DebriefStore
import Foundation

/// A year of synthetic history for `debrief bench digest`, written through the store's public methods.
///
/// People: 5% leaders, 15% managers, the rest ICs, in teams of very different sizes (a few below the
/// anonymity threshold, so suppression has work to do). A third never reflect; the others reflect in a
/// given week with a probability set by how engaged they are, one to three times. Trainings every two weeks
/// with a few hundred participants; reflections shortly after a person's training name it.
struct BenchDigestData {
    struct Person: Sendable {
        var userID: String
        var pseudonym: Pseudonym
        var role: RoleLevel
        var team: String
        /// Chance to reflect in a given week.
        var weekly: Double
        /// Trainings taken: (id, end).
        var trainings: [(id: String, ended: Date)] = []
    }

    let people: Int
    let weeks: Int
    let teams: Int
    let seed: UInt64
    let lastWeek: WeekKey
    let workspace = "TBENCH"

    var firstMonday: LocalDate { lastWeek.monday.adding(days: -7 * (weeks - 1)) }

    static func date(_ day: LocalDate, hours: Double = 0) -> Date {
        let daysSinceEpoch = LocalDate(year: 1970, month: 1, day: 1).map { $0.days(until: day) } ?? 0
        return Date(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400 + hours * 3600)
    }

    static func teamName(_ index: Int) -> String { "Team \(String(index + 1))" }

    func makePeople() -> [Person] {
        var random = SeededGenerator.derived(from: seed, label: "people")
        // Zipf-like team sizes: a few large teams, a long tail of small ones.
        let weights = (0..<teams).map { 1.0 / pow(Double($0 + 1), 0.7) }
        let total = weights.reduce(0, +)
        var result: [Person] = []
        let pseudonymizer = Pseudonymizer(secret: "bench-digest-pseudonym-key-\(seed)")
        for index in 0..<people {
            let userID = "U\(String(1_000_000 + index))"
            var roll = Double.random(in: 0..<total, using: &random)
            var team = teams - 1
            for (position, weight) in weights.enumerated() {
                if roll < weight {
                    team = position
                    break
                }
                roll -= weight
            }
            let roleRoll = Double.random(in: 0..<1, using: &random)
            let role: RoleLevel = roleRoll < 0.05 ? .leader : (roleRoll < 0.20 ? .manager : .ic)
            let engagementRoll = Double.random(in: 0..<1, using: &random)
            let weekly: Double =
                switch engagementRoll {
                case ..<0.33: 0
                case ..<0.73: 0.15
                case ..<0.92: 0.5
                default: 0.85
                }
            result.append(
                Person(
                    userID: userID,
                    pseudonym: pseudonymizer.pseudonym(
                        for: PlatformUser(platform: .slack, workspace: workspace, userID: userID)),
                    role: role, team: Self.teamName(team), weekly: role == .leader ? min(0.9, weekly + 0.2) : weekly))
        }
        return result
    }

    /// Creates everyone (concurrently, so the store's group commit batches them), assigns roles and teams,
    /// and registers a training every two weeks.
    func fillPeopleAndTrainings(_ store: any DebriefDataStore, people: inout [Person]) async throws {
        let created = firstMonday.adding(days: -14)
        let snapshot = people
        try await BenchDigestData.concurrently(snapshot.count, window: 256) { index in
            let person = snapshot[index]
            try await store.upsertPerson(
                DeliveryAddress(platform: .slack, workspace: workspace, userID: person.userID),
                pseudonym: person.pseudonym,
                at: Self.date(created))
        }
        var start = 0
        while start < people.count {
            let chunk = people[start..<min(people.count, start + 1000)]
            try await store.assignRoles(
                chunk.map {
                    RoleAssignment(
                        address: DeliveryAddress(platform: .slack, workspace: workspace, userID: $0.userID),
                        pseudonym: $0.pseudonym, roleLevel: $0.role.rawValue, team: $0.team)
                }, at: Self.date(created))
            start += 1000
        }
        var random = SeededGenerator.derived(from: seed, label: "trainings")
        let topics = [
            "Prompting basics", "Analysing data with AI", "Writing with AI", "AI for managers", "Coding with AI",
        ]
        for number in 0..<max(1, weeks / 2) {
            let ended = Self.date(firstMonday.adding(days: number * 14 + 2), hours: 15)
            let id = "training-\(number + 1)"
            let size = Int.random(in: 200...800, using: &random)
            var participants: [TrainingParticipant] = []
            for _ in 0..<size {
                let index = Int.random(in: 0..<people.count, using: &random)
                guard !people[index].trainings.contains(where: { $0.id == id }) else { continue }
                people[index].trainings.append((id, ended))
                participants.append(
                    TrainingParticipant(
                        pseudonym: people[index].pseudonym,
                        address: DeliveryAddress(platform: .slack, workspace: workspace, userID: people[index].userID),
                        timeZone: "Europe/Berlin"))
            }
            try await store.registerTraining(
                Training(
                    id: id, workspace: workspace, title: "\(topics[number % topics.count]) #\(number + 1)", topic: nil,
                    endedAt: ended, sequenceID: "default", createdAt: ended),
                participants: participants, jobs: [])
        }
    }

    static let texts = [
        "Drafted the weekly update with AI and edited the tone myself.",
        "Asked the assistant to summarise a long thread before the meeting.",
        "Used AI to write test cases; about half were usable.",
        "Let AI group survey comments into themes, then checked a sample.",
        "Tried AI on a spreadsheet formula; it was wrong twice, right the third time.",
        "Prepared a customer reply with AI; it saved real time.",
    ]

    /// Writes every week's reflections; returns how many. Reflections go in concurrently, a bounded number
    /// in flight, so group commit turns them into few transactions and memory stays flat.
    func fillReflections(_ store: any DebriefDataStore, people: [Person]) async throws -> Int {
        var written = 0
        for week in 0..<weeks {
            let monday = firstMonday.adding(days: week * 7)
            var random = SeededGenerator.derived(from: seed, label: "week-\(week)")
            var batch: [Reflection] = []
            for person in people where person.weekly > 0 {
                guard Double.random(in: 0..<1, using: &random) < person.weekly else { continue }
                let count = [1, 1, 1, 2, 2, 3][Int.random(in: 0..<6, using: &random)]
                for number in 0..<count {
                    batch.append(
                        reflection(person: person, monday: monday, number: number, week: week, random: &random))
                }
            }
            let reflections = batch
            try await Self.concurrently(reflections.count, window: 512) { index in
                try await store.insertReflection(reflections[index])
            }
            written += reflections.count
        }
        return written
    }

    func reflection(person: Person, monday: LocalDate, number: Int, week: Int, random: inout SeededGenerator)
        -> Reflection
    {
        let day = monday.adding(days: Int.random(in: 0...4, using: &random))
        let at = Self.date(day, hours: Double.random(in: 8...18, using: &random))
        let outcomes: [Outcome] =
            switch person.role {
            case .leader: [.savedTime, .savedTime, .betterQuality, .newCapability, .noDifference]
            case .manager: [.savedTime, .betterQuality, .newCapability, .noDifference, .worse]
            case .ic: [.savedTime, .betterQuality, .noDifference, .noDifference, .worse]
            }
        let outcome = outcomes[Int.random(in: 0..<outcomes.count, using: &random)]
        let helped = [.savedTime, .betterQuality, .newCapability].contains(outcome)
        let minutes: MinutesSaved =
            helped ? [.upTo15, .upTo30, .upTo60, .upTo120, .moreThan120][Int.random(in: 0..<5, using: &random)] : .none
        let consentRoll = Double.random(in: 0..<1, using: &random)
        let consent: Consent =
            consentRoll < 0.02 && person.role == .leader
            ? .attributed : (consentRoll < 0.12 ? .anonymousQuote : .aggregateOnly)
        var blockers: [Blocker] = []
        if Double.random(in: 0..<1, using: &random) < 0.3 {
            blockers.append(Blocker.allCases[Int.random(in: 0..<Blocker.allCases.count, using: &random)])
        }
        let training = person.trainings.last { $0.ended < at && at.timeIntervalSince($0.ended) < 42 * 86_400 }
        return Reflection(
            id: "r-\(person.userID)-\(week)-\(number)", person: person.pseudonym, createdAt: at, source: .modal,
            text: Self.texts[Int.random(in: 0..<Self.texts.count, using: &random)],
            taskCategory: TaskCategory.allCases[Int.random(in: 0..<TaskCategory.allCases.count, using: &random)],
            tool: nil, outcome: outcome, minutesSaved: minutes, confidence: Int.random(in: 1...5, using: &random),
            blockers: blockers, consent: consent,
            trainingID: Double.random(in: 0..<1, using: &random) < 0.6 ? training?.id : nil)
    }

    /// Runs `work(0..<count)` with at most `window` calls in flight.
    static func concurrently(_ count: Int, window: Int, _ work: @escaping @Sendable (Int) async throws -> Void)
        async throws
    {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            while next < min(count, window) {
                let index = next
                group.addTask { try await work(index) }
                next += 1
            }
            while try await group.next() != nil {
                if next < count {
                    let index = next
                    group.addTask { try await work(index) }
                    next += 1
                }
            }
        }
    }
}
