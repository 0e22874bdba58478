import DebriefCore
import Foundation

/// A synthetic person. Names are invented from fixed lists; no real person's data is used.
struct DemoPerson: Sendable {
    var index: Int
    var userID: String
    var firstName: String
    var lastName: String
    var role: RoleLevel
    var team: String
    var timeZone: String
    /// How willing this person is to answer (multiplies every response probability), 0.55–1.45.
    var engagement: Double
    /// A leader who shares what they tried under their own name (`attributed` consent).
    var sharesOpenly: Bool
    /// Where this person works: Slack, or Microsoft Teams.
    var platform: Platform = .slack

    var fullName: String { "\(firstName) \(lastName)" }
    var email: String { "\(firstName.lowercased()).\(lastName.lowercased())@debrief-demo.example" }
}

/// A team: its Slack user group (from `DEBRIEF_TEAM_GROUPS`) and digest channel (`DEBRIEF_TEAM_CHANNELS`).
struct DemoTeam: Sendable {
    var name: String
    var group: String
    var channel: String
    /// What this team mostly uses AI for.
    var categories: [(TaskCategory, Int)]
}

/// A training the demo registers through the admin API when it ends.
struct DemoTraining: Sendable {
    var title: String
    var topic: String
    var endedAt: Date
    var usergroups: [String]
    var emails: [String]
    /// What people mostly write about when they answer its nudges.
    var focus: [TaskCategory]
}

/// The synthetic organisation: people with roles, teams and time zones, their user groups, and trainings.
struct DemoOrganisation: Sendable {
    var people: [DemoPerson]
    var teams: [DemoTeam]
    var usergroups: [String: [String]]
    var trainings: [DemoTraining]

    static let leaderGroup = "S0LEADERS"
    static let managerGroup = "S0MANAGERS"
    static let leadershipChannel = "C0LEADERSHIP"
    static let organisationZone = "Europe/Berlin"

    static let teamCatalogue: [(name: String, weight: Int, categories: [(TaskCategory, Int)])] = [
        (
            "Engineering", 22,
            [(.coding, 45), (.research, 15), (.drafting, 10), (.analysis, 10), (.data, 10), (.admin, 5), (.other, 5)]
        ),
        ("Sales", 16, [(.communication, 35), (.drafting, 30), (.research, 20), (.admin, 10), (.other, 5)]),
        ("Customer Support", 14, [(.communication, 45), (.drafting, 20), (.research, 20), (.admin, 10), (.other, 5)]),
        ("Marketing", 10, [(.drafting, 40), (.communication, 20), (.research, 20), (.data, 10), (.other, 10)]),
        ("Finance", 9, [(.data, 35), (.analysis, 35), (.admin, 15), (.drafting, 10), (.other, 5)]),
        ("Operations", 9, [(.admin, 30), (.data, 25), (.analysis, 20), (.communication, 15), (.other, 10)]),
        ("Product", 8, [(.research, 25), (.drafting, 25), (.analysis, 25), (.communication, 15), (.other, 10)]),
        ("Data", 7, [(.data, 40), (.analysis, 35), (.coding, 15), (.research, 10)]),
        ("People", 5, [(.drafting, 30), (.admin, 30), (.communication, 25), (.research, 15)]),
        ("Legal", 4, [(.research, 40), (.drafting, 35), (.analysis, 15), (.admin, 10)]),
    ]

    /// Zones over Europe, the Americas and Asia-Pacific, weighted like a Europe-headquartered company.
    static let zones: [(String, Int)] = [
        ("Europe/Berlin", 24), ("Europe/London", 12), ("Europe/Madrid", 8), ("Europe/Stockholm", 6),
        ("Europe/Warsaw", 6), ("America/New_York", 14), ("America/Chicago", 6), ("America/Los_Angeles", 6),
        ("America/Sao_Paulo", 5), ("Asia/Singapore", 5), ("Asia/Kolkata", 5), ("Asia/Tokyo", 2),
        ("Australia/Sydney", 1),
    ]

    /// Invented first and last names, chosen not to collide with ordinary English words (the quote scrubber
    /// removes every directory name part of three or more letters, so "Will" would garble "I will").
    static let firstNames = [
        "Aino", "Bartek", "Chiara", "Dmitri", "Elif", "Folasade", "Gunnar", "Hiroko", "Ilkay", "Jovan", "Kalani",
        "Leandro", "Mireille", "Nnamdi", "Oksana", "Priya", "Quentin", "Rasmus", "Saoirse", "Tariq", "Ulla",
        "Valentina", "Wendell", "Ximena", "Yusuf", "Zofia", "Anouk", "Benedikt", "Cosima", "Dariusz", "Eero",
        "Fatou", "Giedre", "Hamza", "Ingrid", "Jorunn", "Kenji", "Linnea", "Mateus", "Nadia", "Orla", "Pavel",
        "Rukmini", "Sven", "Thandiwe", "Umberto", "Viveka", "Wiebke", "Yaw", "Zeynep",
    ]
    static let lastNames = [
        "Lindqvist", "Okafor", "Varga", "Haddad", "Nakamura", "Kowalczyk", "Brennan", "Achterberg", "Mwangi",
        "Castellanos", "Ivanova", "Rautio", "Szabo", "Oyelaran", "Bergstrom", "Delacroix", "Fonseca", "Gruenewald",
        "Halvorsen", "Ishikawa", "Jablonski", "Kariuki", "Laurentis", "Moreau", "Novak", "Ostrowski", "Pellegrini",
        "Quispe", "Rossetti", "Sandoval", "Takahashi", "Uchenna", "Vasquez", "Wojcik", "Yilmaz", "Zanetti",
        "Abernathy", "Bianchi", "Chaudhry", "Dufresne", "Eriksen", "Ferreira", "Gallagher", "Hoffmann", "Idowu",
        "Jaramillo", "Kuznetsova", "Lindgren", "Marchetti", "Nieminen",
    ]

    static func generate(people count: Int, weeks: Int, start: Date, seed: UInt64) -> DemoOrganisation {
        var random = DemoRandom(seed: seed, label: "organisation")
        let teamCount = min(10, max(6, Int((Double(count) / 40).rounded())))
        let catalogue = Array(teamCatalogue.prefix(teamCount))
        let teams = catalogue.enumerated().map { index, entry in
            DemoTeam(
                name: entry.name, group: "S0TEAM\(index + 1)", channel: "C0TEAM\(index + 1)",
                categories: entry.categories)
        }
        // Team sizes by largest remainder, so the org adds up exactly.
        let totalWeight = catalogue.reduce(0) { $0 + $1.weight }
        var sizes = catalogue.map { count * $0.weight / totalWeight }
        var remainders = catalogue.enumerated().map { ($0.offset, (count * $0.element.weight) % totalWeight) }
        remainders.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        for (index, _) in remainders.prefix(count - sizes.reduce(0, +)) { sizes[index] += 1 }

        var pairs: [(Int, Int)] = []
        for first in firstNames.indices { for last in lastNames.indices { pairs.append((first, last)) } }
        pairs.shuffle(using: &random.generator)

        var people: [DemoPerson] = []
        var teamMembers: [[Int]] = Array(repeating: [], count: teams.count)
        var index = 0
        for (teamIndex, size) in sizes.enumerated() {
            for _ in 0..<size {
                let (first, last) = pairs[index % pairs.count]
                people.append(
                    DemoPerson(
                        index: index, userID: "U\(100_001 + index)", firstName: firstNames[first],
                        lastName: lastNames[last], role: .ic, team: teams[teamIndex].name,
                        timeZone: random.pick(zones), engagement: random.uniform(0.55...1.45), sharesOpenly: false))
                teamMembers[teamIndex].append(index)
                index += 1
            }
        }
        for members in teamMembers.indices { teamMembers[members].shuffle(using: &random.generator) }
        // Leaders (~5%, at least 5 so leaders can be compared with ICs) and managers (~15%), spread over teams.
        let leaders = max(5, Int((Double(count) * 0.05).rounded()))
        let managers = Int((Double(count) * 0.15).rounded())
        var cursor = Array(repeating: 0, count: teams.count)
        func assign(_ role: RoleLevel, _ total: Int) {
            var assigned = 0
            var team = 0
            var stalled = 0
            while assigned < total && stalled < teams.count {
                if cursor[team] < teamMembers[team].count - 1 {
                    people[teamMembers[team][cursor[team]]].role = role
                    cursor[team] += 1
                    assigned += 1
                    stalled = 0
                } else {
                    stalled += 1
                }
                team = (team + 1) % teams.count
            }
        }
        assign(.leader, leaders)
        assign(.manager, managers)
        let leaderIndices = people.filter { $0.role == .leader }.map(\.index)
        for position in leaderIndices.indices where position % 5 < 2 {
            people[leaderIndices[position]].sharesOpenly = true
        }

        var usergroups: [String: [String]] = [:]
        for (teamIndex, team) in teams.enumerated() {
            usergroups[team.group] = teamMembers[teamIndex].sorted().map { people[$0].userID }
        }
        usergroups[leaderGroup] = people.filter { $0.role == .leader }.map(\.userID)
        usergroups[managerGroup] = people.filter { $0.role == .manager }.map(\.userID)

        // Cohorts: about 45% in the first open training (some leaders among them), the rest later.
        var cohortRandom = DemoRandom(seed: seed, label: "cohorts")
        var first: [String] = []
        var rest: [DemoPerson] = []
        for person in people {
            let share = person.role == .leader ? 0.35 : 0.45
            if cohortRandom.chance(share) { first.append(person.userID) } else { rest.append(person) }
        }
        let byEmail = rest.filter { $0.role == .ic }.prefix(6)
        let emailIDs = Set(byEmail.map(\.userID))
        usergroups["S0COHORT1"] = first
        usergroups["S0COHORT4"] = rest.map(\.userID).filter { !emailIDs.contains($0) }
        let dataTeams = teams.filter { ["Finance", "Data", "Operations", "Product"].contains($0.name) }.map(\.group)
        usergroups["S0COHORT3"] = people.filter { cohortRandom.chance(0.1) && $0.role != .leader }.map(\.userID)
        let codingTeams = teams.filter { ["Engineering", "Data"].contains($0.name) }.map(\.group)

        func day(_ week: Int, _ weekday: Int) -> Date {
            // 16:00 in Berlin on the given day of the simulated week (0 = the Monday the clock starts on).
            let berlin = TimeZone(identifier: organisationZone) ?? .gmt
            var calendar = Calendar(identifier: .iso8601)
            calendar.timeZone = berlin
            let monday = calendar.startOfDay(for: start)
            let date = calendar.date(byAdding: .day, value: week * 7 + weekday, to: monday) ?? start
            return calendar.date(bySettingHour: 16, minute: 0, second: 0, of: date) ?? date
        }
        var trainings = [
            DemoTraining(
                title: "Prompting for everyday work", topic: "prompting", endedAt: day(0, 1), usergroups: ["S0COHORT1"],
                emails: [], focus: [.drafting, .research, .communication]),
            DemoTraining(
                title: "Leading with AI", topic: "leadership", endedAt: day(0, 2),
                usergroups: [leaderGroup, managerGroup], emails: [], focus: [.drafting, .communication, .analysis]),
            DemoTraining(
                title: "Analysing data with AI", topic: "data", endedAt: day(1, 3),
                usergroups: dataTeams + ["S0COHORT3"], emails: [], focus: [.data, .analysis]),
            DemoTraining(
                title: "Writing and summarising with AI", topic: "writing", endedAt: day(2, 1),
                usergroups: ["S0COHORT4"],
                emails: byEmail.map(\.email) + ["former.colleague@debrief-demo.example"],
                focus: [.drafting, .communication]),
            DemoTraining(
                title: "Pair programming with AI", topic: "coding", endedAt: day(3, 2), usergroups: codingTeams,
                emails: [], focus: [.coding, .data]),
        ]
        // Only trainings whose nudges have a few days to run before the last digest.
        let lastDigest = day(weeks, 0).addingTimeInterval(-7 * 3600)
        trainings = trainings.filter { $0.endedAt.addingTimeInterval(3 * 86_400) < lastDigest }
        return DemoOrganisation(people: people, teams: teams, usergroups: usergroups, trainings: trainings)
    }

    /// The organisation with everyone in Slack (`slack`), everyone in Teams (`teams`), or every other person
    /// in Teams (`both`: each team, role and cohort ends up about half on each platform).
    func on(_ choice: DemoPlatformChoice) -> DemoOrganisation {
        var copy = self
        for index in copy.people.indices {
            switch choice {
            case .slack: copy.people[index].platform = .slack
            case .teams: copy.people[index].platform = .teams
            case .both: copy.people[index].platform = index % 2 == 1 ? .teams : .slack
            }
        }
        return copy
    }

    /// The user ids of the people on `platform`.
    func userIDs(on platform: Platform) -> Set<String> {
        Set(people.filter { $0.platform == platform }.map(\.userID))
    }

    /// The user groups with only their members on `platform` (all of them when everyone is there).
    func usergroups(on platform: Platform) -> [String: [String]] {
        let ids = userIDs(on: platform)
        return usergroups.mapValues { $0.filter { ids.contains($0) } }
    }

    /// A training's participants by e-mail on `platform`: its people there, and addresses of nobody in the
    /// organisation (who stay unreachable on every platform).
    func emails(of training: DemoTraining, on platform: Platform) -> [String] {
        var owners: [String: Platform] = [:]
        for person in people { owners[person.email] = person.platform }
        return training.emails.filter { (owners[$0] ?? platform) == platform }
    }

    /// The Teams people: each with the app installed, a 1:1 chat with the bot and their own zone.
    var teamsMembers: [DemoTeams.Member] {
        people.filter { $0.platform == .teams }.map {
            DemoTeams.member(userID: $0.userID, name: $0.fullName, email: $0.email, timeZone: $0.timeZone)
        }
    }

    var slackUsers: [DemoSlack.User] {
        people.filter { $0.platform == .slack }.map {
            DemoSlack.User(
                id: $0.userID, realName: $0.fullName, displayName: $0.firstName, email: $0.email, timeZone: $0.timeZone)
        } + [
            DemoSlack.User(
                id: DemoSlack.botUserID, realName: "Debrief", displayName: "debrief",
                email: "debrief@debrief-demo.example",
                timeZone: Self.organisationZone, isBot: true)
        ]
    }
}

/// Seeded randomness for the demo: every decision draws from a stream named after what it decides, so the
/// outcome does not depend on the order in which concurrent work happens to run.
struct DemoRandom {
    var generator: SeededGenerator

    init(seed: UInt64, label: String) {
        generator = SeededGenerator.derived(from: seed, label: label)
    }

    mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &generator) < probability
    }

    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        Double.random(in: range, using: &generator)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &generator)
    }

    mutating func pick<T>(_ weighted: [(T, Int)]) -> T {
        let total = weighted.reduce(0) { $0 + max(0, $1.1) }
        guard total > 0, let fallback = weighted.first?.0 else {
            preconditionFailure("DemoRandom.pick needs at least one positive weight")
        }
        var roll = Int.random(in: 0..<total, using: &generator)
        for (value, weight) in weighted where weight > 0 {
            if roll < weight { return value }
            roll -= weight
        }
        return fallback
    }

    mutating func pick<T>(_ values: [T]) -> T {
        values[Int.random(in: 0..<values.count, using: &generator)]
    }
}
