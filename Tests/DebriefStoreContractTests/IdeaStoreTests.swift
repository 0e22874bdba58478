import DebriefCore
import DebriefStore
import DebriefStorePostgres
import DebriefStoreSQLite
import DebriefStoreTestSupport
import Foundation
import Testing

/// The `IdeaStore` contract (`/reflect ideas`): full-text search over consented reflections in German and English,
/// "Useful" marks counted once, and erasure that leaves nothing in the index. Runs on every backend.
@Suite("Idea store", .cleansUpStores)
struct IdeaStoreTests {
    /// Tuesday 2026-12-01 (ISO week 2026-W49).
    let tuesday = Date(timeIntervalSince1970: 1_796_083_200)

    func address(_ user: String) -> DeliveryAddress {
        DeliveryAddress(platform: .slack, workspace: "T0001", userID: user)
    }

    /// Stores a reflection of `user`, `daysAgo` before Tuesday.
    func reflect(
        _ store: any StoreUnderTest, _ user: String, id: String, _ text: String, consent: Consent,
        category: TaskCategory? = nil, daysAgo: Int = 0
    ) async throws {
        try await store.recordReflection(
            Reflection(
                id: id, person: Pseudonym(rawValue: "p_\(user)"),
                createdAt: tuesday.addingTimeInterval(Double(-daysAgo) * 86_400), source: .modal, text: text,
                taskCategory: category, outcome: .savedTime, minutesSaved: .upTo30, consent: consent),
            from: address(user))
    }

    func library(_ store: any StoreUnderTest) async throws {
        try await reflect(
            store, "U1", id: "de-protokoll", "Protokoll der Teamsitzung mit KI zusammengefasst",
            consent: .anonymousQuote, category: .communication, daysAgo: 1)
        try await reflect(
            store, "U2", id: "en-report", "drafted the quarterly report outline with ChatGPT",
            consent: .attributed, category: .drafting, daysAgo: 0)
        try await reflect(
            store, "U3", id: "de-pruefung", "Überprüfung der Verträge mit Copilot vorbereitet",
            consent: .anonymousQuote, category: .analysis, daysAgo: 8)
        try await reflect(
            store, "U4", id: "private-email", "answered customer emails with Claude, my manager Dana was impressed",
            consent: .aggregateOnly, category: .communication, daysAgo: 0)
        try await reflect(
            store, "U5", id: "en-email", "triaged my email inbox with an AI summary every morning",
            consent: .anonymousQuote, category: .communication, daysAgo: 2)
    }

    func ids(_ store: any StoreUnderTest, _ topic: String, excluding: String? = nil) async throws -> [String] {
        try await store.searchIdeas(
            IdeaSearch(terms: IdeaSearchTerms(topic: topic), excluding: excluding.map { Pseudonym(rawValue: $0) })
        ).map(\.id)
    }

    @Test(
        "German and English texts are found by word, prefix and without accents; consent decides",
        arguments: StoreBackend.all)
    func search(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await library(store)
        #expect(try await store.ideaContributorCount(upTo: 10) == 4, "U4 chose aggregate only")
        #expect(try await store.ideaContributorCount(upTo: 3) == 3, "counting stops at the limit")
        #expect(try await store.ideaContributorCount(upTo: 0) == 0)
        #expect(try await ids(store, "Teamsitzung") == ["de-protokoll"])
        #expect(try await ids(store, "protokoll ki") == ["de-protokoll"])
        #expect(try await ids(store, "quarterly report") == ["en-report"])
        #expect(try await ids(store, "chatgpt") == ["en-report"], "case folded")
        #expect(try await ids(store, "uberprufung") == ["de-pruefung"], "accents folded")
        #expect(try await ids(store, "Überprüfung") == ["de-pruefung"])
        #expect(try await ids(store, "Vertr") == ["de-pruefung"], "a prefix finds the word")
        #expect(try await ids(store, "email") == ["en-email"], "the aggregate-only reflection never shows")
        #expect(try await ids(store, "email", excluding: "p_U5") == [], "the caller's own are left out")
        #expect(try await ids(store, "spreadsheet") == [])
        // No topic: newest first.
        #expect(try await ids(store, "") == ["en-report", "de-protokoll", "en-email", "de-pruefung"])
        let report = try #require(
            try await store.searchIdeas(IdeaSearch(terms: IdeaSearchTerms(topic: "report"))).first)
        #expect(report.week == "2026-W49" && report.consent == .attributed && report.attributedUserID == "U2")
        #expect(report.taskCategory == .drafting && report.outcome == .savedTime && report.minutesSaved == .upTo30)
        let protokoll = try #require(
            try await store.searchIdeas(IdeaSearch(terms: IdeaSearchTerms(topic: "protokoll"))).first)
        #expect(protokoll.attributedUserID == nil, "an anonymous author's address is never opened")
        // Filters.
        let recent = try await store.searchIdeas(
            IdeaSearch(terms: IdeaSearchTerms(topic: ""), category: .communication, sinceWeek: "2026-W49"))
        #expect(recent.map(\.id) == ["de-protokoll"], "Sunday's e-mail example is last week's (W48)")
    }

    @Test("hostile topics never fail a search", arguments: StoreBackend.all)
    func hostile(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await library(store)
        let topics = [
            "\"", "\"unbalanced", "*", "email*", "NEAR(email report)", "-email", "email OR report", "report AND",
            "NOT", "text:email", "^email", "{text}: email", "(", ")", "email & !report", "a:* | b",
            "'; DROP TABLE x; --",
            "\u{0}email", "📧 email 🚀", String(repeating: "emailemail ", count: 500), "e", "ü", "…", "\\",
        ]
        for topic in topics {
            _ = try await store.searchIdeas(IdeaSearch(terms: IdeaSearchTerms(topic: topic)))
        }
        // Random hostile mixtures, the same on every run.
        let pool = Array("\"*-^:()&|!'<>{}[]\\\u{0}\n NEAR AND OR NOT email report 📧ü\u{308}é会")
        var random = SeededGenerator(seed: 13)
        for _ in 0..<300 {
            let topic = String(
                (0..<Int.random(in: 0...60, using: &random)).map { _ in
                    pool[Int.random(in: 0..<pool.count, using: &random)]
                })
            _ = try await store.searchIdeas(IdeaSearch(terms: IdeaSearchTerms(topic: topic)))
        }
        #expect(try await ids(store, "📧 email 🚀") == ["en-email"])
        #expect(try await ids(store, "NEAR(email") == [], "NEAR is a word like any other here: no reflection has it")
        #expect(try await ids(store, "-email") == ["en-email"])
    }

    @Test(
        "a Useful mark counts once per person, never one's own, and orders the most useful first",
        arguments: StoreBackend.all)
    func marks(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await library(store)
        let u1 = Pseudonym(rawValue: "p_U1")
        let u3 = Pseudonym(rawValue: "p_U3")
        #expect(try await store.markIdeaUseful(reflectionID: "en-email", by: u1, at: tuesday) == .counted)
        #expect(try await store.markIdeaUseful(reflectionID: "en-email", by: u1, at: tuesday) == .alreadyCounted)
        #expect(try await store.markIdeaUseful(reflectionID: "en-email", by: u3, at: tuesday) == .counted)
        #expect(try await store.markIdeaUseful(reflectionID: "de-protokoll", by: u1, at: tuesday) == .unavailable)
        #expect(try await store.markIdeaUseful(reflectionID: "private-email", by: u1, at: tuesday) == .unavailable)
        #expect(try await store.markIdeaUseful(reflectionID: "missing", by: u1, at: tuesday) == .unavailable)
        #expect(try await store.ideaMarkCount(by: u1) == 1)
        #expect(try await store.exportPerson(u1)?.usefulMarks == 1)
        let useful = try await store.searchIdeas(IdeaSearch(terms: IdeaSearchTerms(topic: ""), order: .mostUseful))
        #expect(useful.first?.id == "en-email" && useful.first?.usefulCount == 2)
        #expect(useful.dropFirst().allSatisfy { $0.usefulCount == 0 })
    }

    @Test(
        "erasing a person removes their examples from the index itself and their marks from the counts",
        arguments: StoreBackend.all)
    func erasure(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await library(store)
        try await reflect(
            store, "U6", id: "unique", "Zyxwortmarke Entwurf mit KI erstellt", consent: .anonymousQuote, daysAgo: 0)
        let u6 = Pseudonym(rawValue: "p_U6")
        #expect(try await store.markIdeaUseful(reflectionID: "en-email", by: u6, at: tuesday) == .counted)
        #expect(try await ids(store, "zyxwortmarke") == ["unique"])
        #expect(try await indexContains(store, "zyxwortmarke") == true, "the word is in the index before")
        try await store.erasePerson(u6, address: address("U6"))
        #expect(try await ids(store, "zyxwortmarke") == [])
        #expect(try await indexContains(store, "zyxwortmarke") == false, "and gone from the index after")
        #expect(try await store.searchIdeas(IdeaSearch(terms: IdeaSearchTerms(topic: "email"))).first?.usefulCount == 0)
        #expect(try await ids(store, "Teamsitzung") == ["de-protokoll"], "other people's entries stay searchable")

        // An author's erasure removes the marks others gave their examples.
        #expect(
            try await store.markIdeaUseful(reflectionID: "en-email", by: Pseudonym(rawValue: "p_U1"), at: tuesday)
                == .counted)
        try await store.erasePerson(Pseudonym(rawValue: "p_U5"), address: address("U5"))
        #expect(try await store.ideaMarkCount(by: Pseudonym(rawValue: "p_U1")) == 0)
        #expect(try await store.ideaContributorCount(upTo: 10) == 3)
    }

    @Test(
        "an edited reflection is found by its new words only; withdrawn consent hides it", arguments: StoreBackend.all)
    func edits(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await library(store)
        let person = Pseudonym(rawValue: "p_U1")
        var edited = try #require(try await store.reflection(id: "de-protokoll", of: person))
        edited.text = "Besprechungsnotizen automatisch gegliedert"
        #expect(try await store.replaceReflection(edited))
        #expect(try await ids(store, "Teamsitzung") == [])
        #expect(try await ids(store, "besprechungsnotizen") == ["de-protokoll"])
        edited.consent = .aggregateOnly
        #expect(try await store.replaceReflection(edited))
        #expect(try await ids(store, "besprechungsnotizen") == [])
    }

    @Test(
        "only words people consented to share enter the index: consent given adds them, withdrawn removes them",
        arguments: StoreBackend.all)
    func onlyConsentedWordsAreIndexed(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await library(store)
        try await reflect(
            store, "U6", id: "kept-private", "Qorvexnotiz nur fuer mich", consent: .aggregateOnly, daysAgo: 0)
        #expect(try await indexContains(store, "qorvexnotiz") == false, "an aggregate-only reflection is not indexed")
        let person = Pseudonym(rawValue: "p_U6")
        var shared = try #require(try await store.reflection(id: "kept-private", of: person))
        shared.consent = .anonymousQuote
        #expect(try await store.replaceReflection(shared))
        #expect(try await indexContains(store, "qorvexnotiz") == true, "consent given: indexed")
        #expect(try await ids(store, "qorvexnotiz") == ["kept-private"])
        shared.consent = .aggregateOnly
        #expect(try await store.replaceReflection(shared))
        #expect(try await indexContains(store, "qorvexnotiz") == false, "consent withdrawn: out of the index")
        try await store.erasePerson(person, address: address("U6"))
        #expect(try await ids(store, "email").isEmpty == false, "deleting an unindexed row leaves the index intact")
    }

    @Test(
        "Try this: an author in a team smaller than the bound is left out; no team is fine", arguments: StoreBackend.all
    )
    func teamSize(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await library(store)
        try await store.assignRoles(
            [
                RoleAssignment(
                    address: address("U5"), pseudonym: Pseudonym(rawValue: "p_U5"), roleLevel: "ic", team: "Tiny")
            ],
            at: tuesday)
        let bounded = try await store.searchIdeas(
            IdeaSearch(terms: IdeaSearchTerms(topic: ""), category: .communication, minimumTeamSize: 2))
        #expect(bounded.map(\.id) == ["de-protokoll"])
    }

    @Test(
        "Try this for every team at once: each team gets what its own search finds, never its members' words",
        arguments: StoreBackend.all)
    func tryThisBatch(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await library(store)
        try await reflect(
            store, "U6", id: "old-notes", "Meeting notes cleaned up with AI", consent: .anonymousQuote,
            category: .communication, daysAgo: 20)
        try await reflect(
            store, "U7", id: "future", "Next week's reflection", consent: .anonymousQuote, category: .communication,
            daysAgo: -7)
        // The week's last day is in it; the next Monday is not (the store seeks along the day, not the week).
        try await reflect(
            store, "U7", id: "last-day", "Sunday's research with AI", consent: .anonymousQuote, category: .research,
            daysAgo: -5)
        try await reflect(
            store, "U6", id: "next-monday", "Monday's research with AI", consent: .anonymousQuote,
            category: .research, daysAgo: -6)
        let teams = ["U1": "Sales", "U2": "Sales", "U3": "Tiny", "U5": "Support", "U6": "Support", "U7": "Sales"]
        try await store.assignRoles(
            teams.map { user, team in
                RoleAssignment(
                    address: address(user), pseudonym: Pseudonym(rawValue: "p_\(user)"), roleLevel: "ic", team: team)
            }, at: tuesday)
        #expect(
            try await store.markIdeaUseful(reflectionID: "old-notes", by: Pseudonym(rawValue: "p_U1"), at: tuesday)
                == .counted)
        let requests = ["Sales", "Support", "Tiny", "Elsewhere"].flatMap { team in
            [nil, TaskCategory.communication, .drafting, .analysis, .coding, .research].map {
                TryThisRequest(team: team, category: $0)
            }
        }
        let batch = try await store.tryThisExamples(requests, untilWeek: "2026-W49", minimumTeamSize: 2)
        for request in requests {
            let alone = try await store.searchIdeas(
                IdeaSearch(
                    terms: IdeaSearchTerms(topic: ""), category: request.category, untilWeek: "2026-W49",
                    excludingTeam: request.team, minimumTeamSize: 2, order: .mostUseful, limit: 1))
            #expect(batch[request] == alone.first, "\(request)")
        }
        // The most useful example is Support's; Support itself gets the newest one from outside the team.
        #expect(batch[TryThisRequest(team: "Sales", category: .communication)]?.id == "old-notes")
        #expect(batch[TryThisRequest(team: "Support", category: .communication)]?.id == "de-protokoll")
        // Tiny's author (U3, a team of one) is never shown; nothing newer than the week either.
        #expect(batch[TryThisRequest(team: "Sales", category: .analysis)] == nil)
        #expect(batch[TryThisRequest(team: "Elsewhere", category: .coding)] == nil)
        #expect(batch.values.allSatisfy { $0.id != "future" && $0.id != "next-monday" })
        #expect(batch[TryThisRequest(team: "Support", category: .research)]?.id == "last-day")
    }

    func indexContains(_ store: any StoreUnderTest, _ word: String) async throws -> Bool? {
        if let sqlite = store as? SQLiteStore { return try await sqlite.ideaIndexContains(word) }
        if let postgres = store as? PostgresStore { return try await postgres.ideaIndexContains(word) }
        return nil
    }
}
