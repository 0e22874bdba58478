import DebriefCore
import DebriefStore
import DebriefStoreTestSupport
import Foundation
import Testing

/// The behaviour every `Store` must show. Runs against every backend in `StoreBackend.all` (SQLite in memory and
/// in a file; PostgreSQL joins there).
@Suite("Store contract", .cleansUpStores)
struct StoreContractTests {
    let day = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18
    let alice = DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U0001")
    let alicePseudonym = Pseudonym(rawValue: "p_alice")
    let bob = DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U0002")
    let bobPseudonym = Pseudonym(rawValue: "p_bob")

    func reflection(_ id: String, _ person: Pseudonym, text: String = "drafted a brief with AI") -> Reflection {
        Reflection(
            id: id, person: person, createdAt: day.addingTimeInterval(3_723), source: .modal, text: text,
            taskCategory: .drafting, tool: "Claude", outcome: .savedTime, minutesSaved: .upTo30, confidence: 4,
            blockers: [.trustInOutput, .noTime], consent: .anonymousQuote)
    }

    @Test("reflections round-trip, stored to the day", arguments: StoreBackend.all)
    func roundTrip(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.upsertPerson(alice, pseudonym: alicePseudonym, at: day)
        try await store.insertReflection(reflection("r1", alicePseudonym))
        let stored = try #require(try await store.reflection(id: "r1", of: alicePseudonym))
        var expected = reflection("r1", alicePseudonym)
        expected.createdAt = Date(timeIntervalSince1970: (day.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        #expect(stored == expected)
        #expect(try await store.reflection(id: "r1", of: bobPseudonym) == nil)
    }

    @Test("recording a reflection creates the person in the same transaction", arguments: StoreBackend.all)
    func recordCreatesPerson(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.recordReflection(reflection("r1", alicePseudonym), from: alice)
        try await store.recordReflection(reflection("r2", alicePseudonym), from: alice)
        let export = try #require(try await store.exportPerson(alicePseudonym))
        #expect(export.addresses == [alice])
        #expect(export.reflections.map(\.id) == ["r1", "r2"])
        await #expect(throws: StoreError.self) {
            try await store.recordReflection(reflection("r1", alicePseudonym), from: alice)
        }
        #expect(try await store.exportPerson(alicePseudonym)?.reflections.count == 2)
    }

    @Test("concurrent writes share commits but each succeeds or fails alone", arguments: StoreBackend.all)
    func concurrentWrites(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.upsertPerson(alice, pseudonym: alicePseudonym, at: day)
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<400 {
                group.addTask {
                    // Every tenth write collides with an earlier id and must fail without harming the rest.
                    let id = index % 10 == 9 ? "r\(index - 1)" : "r\(index)"
                    do {
                        try await store.insertReflection(reflection(id, alicePseudonym, text: "note \(index)"))
                        return true
                    } catch {
                        return false
                    }
                }
            }
            var outcomes: [Bool] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        let export = try #require(try await store.exportPerson(alicePseudonym))
        #expect(results.filter { $0 }.count == export.reflections.count)
        #expect(export.reflections.count == 360)
    }

    @Test("a write that fails leaves nothing of itself, even when it shares a commit", arguments: StoreBackend.all)
    func failedWriteLeavesNothing(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.upsertPerson(alice, pseudonym: alicePseudonym, at: day)
        try await store.insertReflection(reflection("taken", alicePseudonym))
        // Newcomers whose first reflection reuses a taken id: the person is created in the same write, before the
        // insert fails, and must go with it; the newcomers writing fresh ids at the same time keep theirs.
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<40 {
                group.addTask {
                    let user = DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U-new-\(index)")
                    let id = index.isMultiple(of: 2) ? "taken" : "fresh-\(index)"
                    do {
                        try await store.recordReflection(reflection(id, Self.pseudonym(index)), from: user)
                        return (index, true)
                    } catch {
                        return (index, false)
                    }
                }
            }
            var outcomes: [(Int, Bool)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        for (index, stored) in outcomes {
            #expect(stored == !index.isMultiple(of: 2), "newcomer \(index)")
            let export = try await store.exportPerson(Self.pseudonym(index))
            #expect((export != nil) == stored, "newcomer \(index) exists only if their write succeeded")
        }
        #expect(try await store.exportPerson(alicePseudonym)?.reflections.map(\.id) == ["taken"])
    }

    static func pseudonym(_ index: Int) -> Pseudonym { Pseudonym(rawValue: "p_newcomer_\(index)") }

    @Test("a reflection needs a known person", arguments: StoreBackend.all)
    func unknownPerson(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        await #expect(throws: StoreError.personNotFound) {
            try await store.insertReflection(reflection("r1", alicePseudonym))
        }
    }

    @Test("replacing only touches the owner's reflection", arguments: StoreBackend.all)
    func replace(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.upsertPerson(alice, pseudonym: alicePseudonym, at: day)
        try await store.insertReflection(reflection("r1", alicePseudonym, text: "quick one"))
        var updated = reflection("r1", alicePseudonym, text: "with details now")
        updated.consent = .attributed
        #expect(try await store.replaceReflection(updated))
        #expect(try await store.reflection(id: "r1", of: alicePseudonym)?.text == "with details now")
        #expect(try await store.reflection(id: "r1", of: alicePseudonym)?.consent == .attributed)
        var stolen = updated
        stolen.person = bobPseudonym
        #expect(try await store.replaceReflection(stolen) == false)
    }

    @Test("inbound deliveries are recorded once, and can be released", arguments: StoreBackend.all)
    func deliveries(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let delivery = InboundDelivery(
            platform: .slack, workspace: "T0001", deliveryID: "Ev1", kind: "app_home_opened", receivedAt: day)
        #expect(try await store.recordInboundDelivery(delivery))
        #expect(try await store.recordInboundDelivery(delivery) == false)
        var otherWorkspace = delivery
        otherWorkspace.workspace = "T0002"
        #expect(try await store.recordInboundDelivery(otherWorkspace))
        try await store.removeInboundDelivery(delivery)
        #expect(try await store.recordInboundDelivery(delivery))
    }

    @Test("preferences persist per person", arguments: StoreBackend.all)
    func preferences(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        #expect(try await store.upsertPerson(alice, pseudonym: alicePseudonym, at: day) == PersonPreferences())
        let paused = PersonPreferences(pausedUntil: day.addingTimeInterval(86_400 * 14), stopped: false)
        try await store.setPreferences(paused, of: alicePseudonym)
        #expect(try await store.preferences(of: alicePseudonym) == paused)
        // A later contact does not reset what the person chose.
        #expect(try await store.upsertPerson(alice, pseudonym: alicePseudonym, at: day) == paused)
        await #expect(throws: StoreError.personNotFound) {
            try await store.setPreferences(paused, of: bobPseudonym)
        }
    }

    @Test("export holds everything about the person and nothing about others", arguments: StoreBackend.all)
    func export(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.upsertPerson(alice, pseudonym: alicePseudonym, at: day)
        try await store.upsertPerson(bob, pseudonym: bobPseudonym, at: day)
        try await store.insertReflection(reflection("r1", alicePseudonym))
        try await store.insertReflection(reflection("r2", alicePseudonym, text: "second"))
        try await store.insertReflection(reflection("r3", bobPseudonym))
        let export = try #require(try await store.exportPerson(alicePseudonym))
        #expect(export.addresses == [alice])
        #expect(export.reflections.map(\.id) == ["r1", "r2"])
        #expect(try await store.exportPerson(Pseudonym(rawValue: "p_nobody")) == nil)
    }

    @Test("erasure removes the person, their address and every reflection", arguments: StoreBackend.all)
    func erase(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.upsertPerson(alice, pseudonym: alicePseudonym, at: day)
        try await store.upsertPerson(bob, pseudonym: bobPseudonym, at: day)
        try await store.insertReflection(reflection("r1", alicePseudonym))
        try await store.insertReflection(reflection("r2", alicePseudonym))
        try await store.insertReflection(reflection("r3", bobPseudonym))
        #expect(try await store.erasePerson(alicePseudonym, address: alice) == 2)
        #expect(try await store.exportPerson(alicePseudonym) == nil)
        #expect(try await store.reflection(id: "r1", of: alicePseudonym) == nil)
        #expect(try await store.preferences(of: alicePseudonym) == nil)
        #expect(try await store.exportPerson(bobPseudonym)?.reflections.count == 1)
        #expect(try await store.erasePerson(alicePseudonym, address: alice) == 0)
    }

    @Test(
        "a refreshed address replaces the stored one and sets the zone; erasure removes it", arguments: StoreBackend.all
    )
    func refreshAddress(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let megan = DeliveryAddress(platform: .teams, workspace: "tenant-1", userID: "aad-megan")
        let person = Pseudonym(rawValue: "p_megan")
        try await store.upsertPerson(megan, pseudonym: person, at: day)
        #expect(try await store.deliveryAddress(of: person, platform: .teams)?.conversation == nil)

        var reachable = megan
        reachable.conversation = ConversationReference(
            serviceURL: "https://smba.trafficmanager.net/emea/", conversationID: "a:1qhN", memberID: "29:1XJK")
        try await store.refreshPerson(reachable, pseudonym: person, timeZone: "Europe/Berlin", at: day)
        #expect(try await store.deliveryAddress(of: person, platform: .teams) == reachable)
        #expect(try await store.timeZone(of: person) == "Europe/Berlin")
        // Upserting (a reflection arriving) never rolls the reference back, and no zone keeps the known one.
        try await store.upsertPerson(megan, pseudonym: person, at: day)
        try await store.refreshPerson(reachable, pseudonym: person, timeZone: nil, at: day)
        #expect(try await store.deliveryAddress(of: person, platform: .teams) == reachable)
        #expect(try await store.timeZone(of: person) == "Europe/Berlin")
        // A person first met through an activity is created by the refresh.
        let newcomer = Pseudonym(rawValue: "p_new")
        try await store.refreshPerson(reachable, pseudonym: newcomer, timeZone: nil, at: day)
        #expect(try await store.exportPerson(newcomer)?.addresses == [reachable])

        try await store.erasePerson(person, address: megan)
        #expect(try await store.deliveryAddress(of: person, platform: .teams) == nil)
        #expect(try await store.timeZone(of: person) == nil)
    }

    @Test("installation events are kept per workspace", arguments: StoreBackend.all)
    func installationEvents(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.recordInstallationEvent(
            InstallationEvent(platform: .slack, workspace: "T0001", kind: .tokensRevoked, occurredAt: day))
        try await store.recordInstallationEvent(
            InstallationEvent(platform: .slack, workspace: "T0001", kind: .uninstalled, occurredAt: day))
        #expect(try await store.installationEvents(workspace: "T0001").map(\.kind) == [.tokensRevoked, .uninstalled])
        #expect(try await store.installationEvents(workspace: "T0002").isEmpty)
    }

    @Test("an instance secret is generated once and then kept", arguments: StoreBackend.all)
    func instanceSecret(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let first = try await store.instanceSecret(named: "digest-seed") { "generated-1" }
        let second = try await store.instanceSecret(named: "digest-seed") { "generated-2" }
        #expect(first == "generated-1")
        #expect(second == "generated-1")
    }

    // MARK: - Several writers at once (what only concurrency shows; on PostgreSQL the writers hold different
    // connections of the pool, as two replicas would)

    @Test("a delivery recorded by many writers at once is new for exactly one", arguments: StoreBackend.all)
    func concurrentDeliveries(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        // Ten retried deliveries, each arriving twenty times at once.
        let deliveries = (0..<10).map { index in
            InboundDelivery(
                platform: .slack, workspace: "T0001", deliveryID: "Ev-retried-\(index)", kind: "message",
                receivedAt: day)
        }
        let outcomes = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for delivery in deliveries {
                for _ in 0..<20 {
                    group.addTask { (delivery.deliveryID, try await store.recordInboundDelivery(delivery)) }
                }
            }
            var outcomes: [(String, Bool)] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.count == 200)
        for delivery in deliveries {
            #expect(outcomes.filter { $0.0 == delivery.deliveryID && $0.1 }.count == 1)
        }
    }

    @Test("a newcomer met by many writers at once becomes one person, and no write fails", arguments: StoreBackend.all)
    func concurrentFirstContact(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    // Half only meet the person, half meet them with their first reflection.
                    if index.isMultiple(of: 2) {
                        try await store.upsertPerson(alice, pseudonym: alicePseudonym, at: day)
                    } else {
                        try await store.recordReflection(reflection("r\(index)", alicePseudonym), from: alice)
                    }
                }
            }
            try await group.waitForAll()
        }
        let export = try #require(try await store.exportPerson(alicePseudonym))
        #expect(export.addresses == [alice])
        #expect(export.reflections.count == 10)
        #expect(export.preferences == PersonPreferences())
    }

    @Test("erasures running among other people's reflections lose none of theirs", arguments: StoreBackend.all)
    func erasureAmongOtherWriters(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let erased = (0..<5).map { Pseudonym(rawValue: "p_leaving\($0)") }
        for (index, person) in erased.enumerated() {
            let address = DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U1\(index)")
            for number in 0..<3 {
                try await store.recordReflection(reflection("leaving\(index)-\(number)", person), from: address)
            }
        }
        let staying = (0..<5).map { index in
            (
                DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U2\(index)"),
                Pseudonym(rawValue: "p_staying\(index)")
            )
        }
        let erasedCounts = try await withThrowingTaskGroup(of: Int?.self) { group in
            for (index, person) in erased.enumerated() {
                group.addTask {
                    let address = DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U1\(index)")
                    return try await store.erasePerson(person, address: address)
                }
            }
            // Ten reflections for each person who stays, their first contact among them.
            for number in 0..<50 {
                let (address, person) = staying[number % staying.count]
                group.addTask {
                    try await store.recordReflection(reflection("staying-\(number)", person), from: address)
                    return nil
                }
            }
            var counts: [Int] = []
            for try await count in group { if let count { counts.append(count) } }
            return counts
        }
        #expect(erasedCounts == [3, 3, 3, 3, 3])
        for person in erased { #expect(try await store.exportPerson(person) == nil) }
        for (address, person) in staying {
            let export = try #require(try await store.exportPerson(person))
            #expect(export.addresses == [address])
            #expect(export.reflections.count == 10)
        }
    }

    @Test(
        "reflections recorded while their author is erased never fail, and each is either erased or kept",
        arguments: StoreBackend.all)
    func erasureAmongTheirOwnReflections(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.recordReflection(reflection("before", alicePseudonym), from: alice)
        let erasedCounts = try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<80 {
                group.addTask {
                    if index.isMultiple(of: 8) { return try await store.erasePerson(alicePseudonym, address: alice) }
                    try await store.recordReflection(reflection("r\(index)", alicePseudonym), from: alice)
                    return nil
                }
            }
            var counts: [Int] = []
            for try await count in group { if let count { counts.append(count) } }
            return counts
        }
        // 70 recorded during the erasures and the one from before: each was counted by an erasure or is still there.
        let kept = try await store.exportPerson(alicePseudonym)?.reflections.count ?? 0
        #expect(erasedCounts.reduce(0, +) + kept == 71)
    }
}

@Suite("Channel store contract", .cleansUpStores)
struct ChannelStoreContractTests {
    let day = Date(timeIntervalSince1970: 1_795_000_000)

    @Test(
        "channels are recorded once per id, refreshed, listed per platform and removed with their team",
        arguments: StoreBackend.all)
    func channels(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let general = PlatformChannel(
            platform: .teams, workspace: "tenant-1", teamID: "19:team@thread.tacv2", channelID: "19:team@thread.tacv2",
            name: "General", serviceURL: "https://smba.trafficmanager.net/emea/", updatedAt: day)
        var leaders = general
        leaders.channelID = "19:leaders@thread.tacv2"
        leaders.name = "Leadership"
        try await store.recordChannel(general)
        try await store.recordChannel(leaders)
        // A later event without a name or service URL keeps what was known.
        var renamed = general
        renamed.name = nil
        renamed.serviceURL = nil
        renamed.updatedAt = day.addingTimeInterval(60)
        try await store.recordChannel(renamed)
        let stored = try await store.channels(platform: .teams)
        #expect(stored.map(\.channelID) == ["19:leaders@thread.tacv2", "19:team@thread.tacv2"])
        #expect(stored.last?.name == "General")
        #expect(stored.last?.serviceURL == "https://smba.trafficmanager.net/emea/")
        #expect(try await store.channels(platform: .slack).isEmpty)
        try await store.removeChannels(platform: .teams, teamID: "19:team@thread.tacv2")
        #expect(try await store.channels(platform: .teams).isEmpty)
    }
}
