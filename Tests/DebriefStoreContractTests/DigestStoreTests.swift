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
