import DebriefCore
import DebriefStore
import DebriefStoreTestSupport
import Foundation
import Testing

/// The `HabitStore` contract (the habit after a training). Runs against every backend in `StoreBackend.all`.
@Suite("Habit store", .cleansUpStores)
struct HabitStoreTests {
    let day = Date(timeIntervalSince1970: 1_796_000_000)
    let alice = DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U_ALICE")
    let alicePseudonym = Pseudonym(rawValue: "p_alice")
    let bob = DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U_BOB")
    let bobPseudonym = Pseudonym(rawValue: "p_bob")

    func record(_ id: String, slot: String, kind: HabitPromptKind = .recurring, at offset: TimeInterval = 0)
        -> HabitPromptRecord
    {
        HabitPromptRecord(id: id, slot: slot, kind: kind, sentAt: day.addingTimeInterval(offset))
    }

    @Test("a habit is stored, replaced and read back; nobody has one until offered", arguments: StoreBackend.all)
    func state(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.upsertPerson(alice, pseudonym: alicePseudonym, at: day)
        #expect(try await store.habit(of: alicePseudonym) == nil)
        let offered = HabitState(status: .offered, intervalDays: 14, since: day)
        try await store.setHabit(offered, of: alicePseudonym)
        #expect(try await store.habit(of: alicePseudonym) == offered)
        let active = HabitState(
            status: .active, intervalDays: 28, since: day.addingTimeInterval(60), leaderAsksStopped: true)
        try await store.setHabit(active, of: alicePseudonym)
        #expect(try await store.habit(of: alicePseudonym) == active)
        // A person who is not stored (erased) cannot get a habit back.
        try await store.setHabit(offered, of: bobPseudonym)
        #expect(try await store.habit(of: bobPseudonym) == nil)
    }

    @Test(
        "a quick reflection answers the latest open prompt in its own write: reflect, keep, never the offer",
        arguments: StoreBackend.all)
    func quickReflectionAnswersTheOpenPrompt(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        func reflect(_ id: String, _ who: DeliveryAddress, _ pseudonym: Pseudonym, at offset: TimeInterval) async throws
        {
            try await store.recordReflection(
                Reflection(
                    id: id, person: pseudonym, createdAt: day.addingTimeInterval(offset), source: .quick,
                    text: "tried it"),
                from: who)
        }
        try await store.upsertPerson(alice, pseudonym: alicePseudonym, at: day)
        // Only the offer is open: a reflection does not answer it (the offer asks for a choice).
        #expect(try await store.recordHabitPrompt(record("o1", slot: "offer", kind: .offer), of: alicePseudonym))
        try await reflect("r1", alice, alicePseudonym, at: 10)
        #expect(try await store.habitPrompt(id: "o1")?.record.answer == nil)
        // Two recurring prompts open: the latest is answered "reflect", at the reflection's time; the older stays.
        #expect(try await store.recordHabitPrompt(record("h1", slot: "recurring/1", at: 20), of: alicePseudonym))
        #expect(try await store.recordHabitPrompt(record("h2", slot: "recurring/2", at: 30), of: alicePseudonym))
        try await reflect("r2", alice, alicePseudonym, at: 40)
        let answered = try #require(try await store.habitPrompt(id: "h2")).record
        #expect(answered.answer == .reflect && answered.answeredAt == day.addingTimeInterval(40))
        #expect(try await store.habitPrompt(id: "h1")?.record.answer == nil)
        // "Should I keep asking?" open: a reflection means keep.
        #expect(
            try await store.recordHabitPrompt(
                record("k1", slot: "stop/1", kind: .keepAsking, at: 50), of: alicePseudonym))
        try await reflect("r3", alice, alicePseudonym, at: 60)
        #expect(try await store.habitPrompt(id: "k1")?.record.answer == .keep)
        // A first contact (the person is created by the reflection) has nothing to answer and still reflects.
        try await reflect("r4", bob, bobPseudonym, at: 70)
        #expect(try await store.reflection(id: "r4", of: bobPseudonym) != nil)
    }

    @Test(
        "one message per slot: a repeated send records nothing; the first answer wins", arguments: StoreBackend.all)
    func prompts(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.upsertPerson(alice, pseudonym: alicePseudonym, at: day)
        #expect(try await store.recordHabitPrompt(record("m1", slot: "offer", kind: .offer), of: alicePseudonym))
        #expect(try await !store.recordHabitPrompt(record("m2", slot: "offer", kind: .offer), of: alicePseudonym))
        #expect(try await store.recordHabitPrompt(record("m3", slot: "recurring/1", at: 60), of: alicePseudonym))
        #expect(try await store.hasHabitPrompt(slot: "offer", of: alicePseudonym))
        #expect(try await !store.hasHabitPrompt(slot: "recurring/2", of: alicePseudonym))

        #expect(try await store.answerHabitPrompt(id: "m1", answer: .yes, at: day.addingTimeInterval(30)))
        #expect(try await !store.answerHabitPrompt(id: "m1", answer: .noThanks, at: day.addingTimeInterval(40)))
        let found = try #require(try await store.habitPrompt(id: "m1"))
        #expect(found.person == alicePseudonym)
        #expect(found.record.answer == .yes && found.record.answeredAt == day.addingTimeInterval(30))
        #expect(try await store.habitPrompt(id: "m2") == nil)
        #expect(try await store.habitPrompts(of: alicePseudonym).map(\.id) == ["m1", "m3"])
        #expect(try await store.habitPrompts(of: alicePseudonym).last?.answer == nil)
        // Not stored: nothing recorded.
        #expect(try await !store.recordHabitPrompt(record("m9", slot: "offer"), of: bobPseudonym))
    }

    @Test(
        "leaders asked first: leaders who said yes or took part in a training, unless they stopped the ask",
        arguments: StoreBackend.all)
    func leaders(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let carol = DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U_CAROL")
        let carolPseudonym = Pseudonym(rawValue: "p_carol")
        let dave = DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U_DAVE")
        let davePseudonym = Pseudonym(rawValue: "p_dave")
        for (address, pseudonym) in [(alice, alicePseudonym), (bob, bobPseudonym), (carol, carolPseudonym)] {
            try await store.upsertPerson(address, pseudonym: pseudonym, at: day)
        }
        _ = try await store.assignRoles(
            [
                RoleAssignment(address: alice, pseudonym: alicePseudonym, roleLevel: "leader", team: nil),
                RoleAssignment(address: bob, pseudonym: bobPseudonym, roleLevel: "leader", team: nil),
                RoleAssignment(address: carol, pseudonym: carolPseudonym, roleLevel: "ic", team: nil),
                RoleAssignment(address: dave, pseudonym: davePseudonym, roleLevel: "leader", team: nil),
            ], at: day)
        // Alice said yes; Bob is a leader who never did anything; Carol said yes but is no leader.
        try await store.setHabit(HabitState(status: .active, intervalDays: 14, since: day), of: alicePseudonym)
        try await store.setHabit(HabitState(status: .active, intervalDays: 14, since: day), of: carolPseudonym)
        #expect(try await store.leadersForHabitAsk() == [alicePseudonym])
        // Dave takes part in a training.
        let training = Training(
            id: "t1", workspace: "T0001", title: "A", topic: nil, endedAt: day, sequenceID: "default", createdAt: day)
        try await store.registerTraining(
            training,
            participants: [TrainingParticipant(pseudonym: davePseudonym, address: dave, timeZone: "Europe/Berlin")],
            jobs: [])
        #expect(try await store.leadersForHabitAsk() == [alicePseudonym, davePseudonym])
        try await store.setHabit(
            HabitState(status: .active, intervalDays: 14, since: day, leaderAsksStopped: true), of: alicePseudonym)
        #expect(try await store.leadersForHabitAsk() == [davePseudonym])
    }

    @Test(
        "/reflect forget erases the habit, its messages and its queued jobs; others keep theirs",
        arguments: StoreBackend.all)
    func erasure(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        for (address, pseudonym) in [(alice, alicePseudonym), (bob, bobPseudonym)] {
            try await store.upsertPerson(address, pseudonym: pseudonym, at: day)
            try await store.setHabit(HabitState(status: .active, intervalDays: 14, since: day), of: pseudonym)
            _ = try await store.recordHabitPrompt(record("m-\(pseudonym.value)", slot: "recurring/1"), of: pseudonym)
        }
        func job(_ person: Pseudonym) -> NewJob {
            NewJob(
                kind: JobKind.habitSend.rawValue, parameters: Data("{}".utf8), runAt: day.addingTimeInterval(86_400),
                dedupeKey: HabitJobKey.key(person, slot: "recurring/2"), bucket: "slack:T0001")
        }
        #expect(try await store.enqueue([job(alicePseudonym), job(bobPseudonym)]) == 2)

        _ = try await store.erasePerson(alicePseudonym, address: alice)

        #expect(try await store.habit(of: alicePseudonym) == nil)
        #expect(try await store.habitPrompts(of: alicePseudonym).isEmpty)
        #expect(try await store.habitPrompt(id: "m-p_alice") == nil)
        // The job (and with it the pseudonym in its key) is gone: the key is free again.
        #expect(try await store.enqueue([job(alicePseudonym)]) == 1)
        #expect(try await store.enqueue([job(bobPseudonym)]) == 0)
        #expect(try await store.habit(of: bobPseudonym)?.status == .active)
        #expect(try await store.habitPrompts(of: bobPseudonym).count == 1)
    }
}
