import DebriefCore
import DebriefStore
import DebriefStoreTestSupport
import Foundation
import Testing

/// The `ResponseStore` contract: leaders' responses are kept under the author's pseudonym, listed for digests, the
/// admin API and `/reflect mine`, and erased with the author. Runs against every backend in `StoreBackend.all`.
@Suite("Leader responses in the store", .cleansUpStores)
struct ResponseStoreTests {
    let monday = Date(timeIntervalSince1970: 1_795_400_000)

    func leader(_ store: any StoreUnderTest, _ id: String) async throws -> (Pseudonym, DeliveryAddress) {
        let pseudonym = Pseudonym(rawValue: "p_\(id)")
        let address = DeliveryAddress(platform: .slack, workspace: "T1", userID: id)
        try await store.upsertPerson(address, pseudonym: pseudonym, at: monday)
        return (pseudonym, address)
    }

    func response(
        _ id: String, by author: Pseudonym, week: String = "2026-W47", at offset: TimeInterval,
        audience: ResponseAudience = .allTeams
    ) -> LeaderResponse {
        LeaderResponse(
            id: id, author: author, week: week,
            text: "We open the AI sandbox to every team on 1 December; no\u{0} ticket",
            themes: [.blocker(.noAccess), .category(.drafting)], audience: audience,
            createdAt: monday.addingTimeInterval(offset))
    }

    @Test(
        "a response comes back whole, with its author's user id for the name and never a stored platform id",
        arguments: StoreBackend.all)
    func roundTrip(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let (ana, _) = try await leader(store, "UANA")
        let stored = response("resp-1", by: ana, at: 60, audience: .teams(["Sales", "Team \"Ω\", with, commas"]))
        try await store.recordLeaderResponse(stored)
        let window = try await store.leaderResponses(createdFrom: monday, before: monday.addingTimeInterval(3_600))
        #expect(window.count == 1)
        var expected = stored
        expected.text = "We open the AI sandbox to every team on 1 December; no\u{FFFD} ticket"
        #expect(window.first?.response == expected)
        #expect(window.first?.authorUserID == "UANA", "opened from the sealed address, for the directory name")
        #expect(
            try await store.leaderResponses(createdFrom: monday.addingTimeInterval(61), before: .distantFuture)
                .isEmpty, "the window's start is inclusive, its end exclusive")
        #expect(try await store.leaderResponses(answering: ["2026-W47"]).map(\.response.id) == ["resp-1"])
        #expect(try await store.leaderResponses(answering: ["2026-W46"]).isEmpty)
        #expect(try await store.leaderResponses(of: ana) == [expected])
    }

    @Test("the admin list pages newest first without repeats or gaps, ties broken by id", arguments: StoreBackend.all)
    func pages(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let (ana, _) = try await leader(store, "UANA")
        let (ben, _) = try await leader(store, "UBEN")
        for index in 0..<5 {
            try await store.recordLeaderResponse(
                response(
                    "r\(index)", by: index.isMultiple(of: 2) ? ana : ben,
                    at: TimeInterval(index / 2) * 60))
        }
        var seen: [String] = []
        var cursor: LeaderResponseCursor?
        for _ in 0..<4 {
            let page = try await store.leaderResponsePage(before: cursor, limit: 2)
            #expect(page.count <= 2)
            seen += page.map(\.response.id)
            guard let last = page.last else { break }
            cursor = LeaderResponseCursor(createdAt: last.response.createdAt, id: last.response.id)
        }
        #expect(seen == ["r4", "r3", "r2", "r1", "r0"])
    }

    @Test("/reflect mine lists the author's responses and /reflect forget erases them", arguments: StoreBackend.all)
    func erasure(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let (ana, anaAddress) = try await leader(store, "UANA")
        let (ben, _) = try await leader(store, "UBEN")
        try await store.recordLeaderResponse(response("ana-1", by: ana, at: 10))
        try await store.recordLeaderResponse(response("ben-1", by: ben, at: 20))
        let export = try #require(try await store.exportPerson(ana))
        #expect(export.leaderResponses?.map(\.id) == ["ana-1"], "mine shows the person's own responses only")
        try await store.erasePerson(ana, address: anaAddress)
        #expect(try await store.leaderResponses(of: ana).isEmpty)
        let left = try await store.leaderResponses(createdFrom: .distantPast, before: .distantFuture)
        #expect(left.map(\.response.id) == ["ben-1"], "only Ana's response went")
        #expect(try await store.leaderResponsePage(before: nil, limit: 10).map(\.response.id) == ["ben-1"])
    }

    @Test("a response needs its author to exist: nothing is kept about nobody", arguments: StoreBackend.all)
    func authorMustExist(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        await #expect(throws: StoreError.self) {
            try await store.recordLeaderResponse(response("x", by: Pseudonym(rawValue: "p_ghost"), at: 0))
        }
    }
}
