import DebriefCore
import DebriefServer
import DebriefStore
import DebriefStoreSQLite
import Foundation
import Testing

/// disclosure.md §6, case 4 ("moved person"): a published week is a stored fact. When someone moves team after
/// it, later digests show that week exactly as it was released — never regrouped by today's teams.
@Suite("Released weeks are history")
struct ReleaseHistoryTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }
    static let key = Pseudonymizer(secret: "test-pseudonym-key-0123456789")
    /// Wednesdays of 2026-W47 and 2026-W48, and the Mondays after them.
    static let week47Day = date("2026-11-18T10:00:00Z")
    static let week48Day = date("2026-11-25T10:00:00Z")
    static let after47 = date("2026-11-23T09:00:00Z")
    static let after48 = date("2026-11-30T09:00:00Z")
    static let teams = ["Sales", "Support", "Ops"]

    static func person(_ user: String) -> (Pseudonym, DeliveryAddress) {
        let user = PlatformUser(platform: .slack, workspace: "T0001", userID: user)
        return (key.pseudonym(for: user), DeliveryAddress(platform: .slack, workspace: "T0001", userID: user.userID))
    }

    static func assign(_ store: SQLiteStore, _ user: String, team: String, at day: Date) async throws {
        let (pseudonym, address) = person(user)
        try await store.assignRoles(
            [RoleAssignment(address: address, pseudonym: pseudonym, roleLevel: "ic", team: team)], at: day)
    }

    static func reflect(_ store: SQLiteStore, _ user: String, at day: Date, id: String) async throws {
        let (pseudonym, address) = person(user)
        try await store.recordReflection(
            Reflection(id: id, person: pseudonym, createdAt: day, source: .modal, text: "Used it", outcome: .savedTime),
            from: address)
    }

    @Test("after someone moves team, the week before is shown exactly as it was released, in every later digest")
    func movedPerson() async throws {
        let store = try SQLiteStore(location: .inMemory)
        try await store.migrate()
        // Sales: 12 people, 8 reflect in W47; Support: 6 people, 4 reflect (hidden, below k = 5).
        for index in 0..<12 { try await Self.assign(store, "US\(index)", team: "Sales", at: Self.week47Day) }
        for index in 0..<6 { try await Self.assign(store, "UP\(index)", team: "Support", at: Self.week47Day) }
        for index in 0..<8 { try await Self.reflect(store, "US\(index)", at: Self.week47Day, id: "s\(index)") }
        for index in 0..<4 { try await Self.reflect(store, "UP\(index)", at: Self.week47Day, id: "p\(index)") }
        // Ops: 10 people, 7 reflect in both weeks.
        for index in 0..<10 { try await Self.assign(store, "UO\(index)", team: "Ops", at: Self.week47Day) }
        for index in 0..<7 { try await Self.reflect(store, "UO\(index)", at: Self.week47Day, id: "o\(index)") }
        let computation = DigestComputation(store: store, settings: PrivacySettings(k: 5, kQuotes: 10), seed: 42)
        let week47 = try #require(WeekKey("2026-W47"))
        let week48 = try #require(WeekKey("2026-W48"))
        _ = try await computation.documents(
            for: Self.teams.map { .team($0) }, week: week47, names: nil, now: Self.after47)
        let stored47 = try #require(try await store.releases(weeks: ["2026-W47"])["2026-W47"])

        // US0 (who reflected in W47) moves to Support; UP4's reflection on W47 arrives late; W48 is computed.
        try await Self.assign(store, "US0", team: "Support", at: Self.week48Day)
        try await Self.reflect(store, "UP4", at: Self.week47Day, id: "late")
        for index in 1..<12 { try await Self.reflect(store, "US\(index)", at: Self.week48Day, id: "s48-\(index)") }
        for index in 0..<6 { try await Self.reflect(store, "UP\(index)", at: Self.week48Day, id: "p48-\(index)") }
        for index in 0..<7 { try await Self.reflect(store, "UO\(index)", at: Self.week48Day, id: "o48-\(index)") }
        let documents = try await computation.documents(
            for: Self.teams.map { .team($0) }, week: week48, names: nil, now: Self.after48)

        #expect(
            try await store.releases(weeks: ["2026-W47"])["2026-W47"] == stored47, "a released week is never rewritten")
        let released47 = try JSONDecoder().decode(WeekRelease.self, from: stored47)
        #expect(released47.roster?.headcount(of: .team("Sales")) == 12, "W47 keeps the W47 roster")
        // Support's W47 stays "not shown" in its later trend although it now holds 7 people, one of whom moved.
        #expect(released47.shown(.team("Support")) == nil, "4 of 6 reflected: hidden")
        #expect(released47.shown(.organisation) != nil)
        // Every team's trend shows W47 exactly as released: Support's hidden week stays hidden although it now
        // has 5 people who reflected and one who moved in; Sales keeps the range it had with its W47 roster.
        for team in Self.teams {
            let document = try #require(documents.first { $0.audience == .team(team) })
            let point = try #require(document.participation?.trend.first { $0.week == week47 }, "\(team)")
            #expect(point.respondents == released47.shown(.team(team))?.respondents, "\(team)")
        }
        #expect(Self.teams.contains { released47.shown(.team($0)) != nil }, "something of W47 was shown")
    }
}
