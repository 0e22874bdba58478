import DebriefCore
import Synchronization
import Testing

/// Collecting the people of a training: each once, in order, linear work, and a hard stop at the limit.
@Suite("Participant roster")
struct ParticipantRosterTests {
    /// Counts the hashing and equality work done on ``CountedID``s in the current task.
    final class WorkCounter: Sendable {
        private let count = Atomic<Int>(0)
        func add() { count.add(1, ordering: .relaxed) }
        var total: Int { count.load(ordering: .relaxed) }

        @TaskLocal static var current: WorkCounter?
    }

    /// An id that reports every hash and comparison to the task's ``WorkCounter``.
    struct CountedID: Hashable, Sendable {
        let value: Int

        static func == (lhs: CountedID, rhs: CountedID) -> Bool {
            WorkCounter.current?.add()
            return lhs.value == rhs.value
        }

        func hash(into hasher: inout Hasher) {
            WorkCounter.current?.add()
            hasher.combine(value)
        }
    }

    /// Hashes and comparisons needed to collect `count` distinct ids, each named twice (as when a person is in
    /// both a user group and a channel).
    static func work(forDistinct count: Int) -> Int {
        let counter = WorkCounter()
        WorkCounter.$current.withValue(counter) {
            var roster = ParticipantRoster<CountedID>(limit: 1_000_000)
            for value in 0..<count { roster.add(CountedID(value: value)) }
            for value in stride(from: count - 1, through: 0, by: -1) { roster.add(CountedID(value: value)) }
            #expect(roster.count == count)
        }
        return counter.total
    }

    @Test("collecting is linear: four times the people take about four times the work, a few operations each")
    func linearWork() {
        let small = Self.work(forDistinct: 10_000)
        let large = Self.work(forDistinct: 40_000)
        // Each id is offered twice: a hash and rarely a comparison per offer, plus rehashing as the set grows.
        #expect(large <= 8 * 2 * 40_000, "\(large) operations for 40,000 people")
        // Quadratic collecting (a search through the list per id) would make this ratio about 16.
        #expect(Double(large) / Double(small) < 5, "10,000 people: \(small) operations; 40,000: \(large)")
    }

    @Test("each person once, in the order first named")
    func orderAndDuplicates() {
        var roster = ParticipantRoster<String>(limit: 10)
        roster.add(contentsOf: ["U3", "U1", "U3", "U2", "U1"])
        #expect(roster.ids == ["U3", "U1", "U2"])
        #expect(roster.contains("U2") && !roster.contains("U9"))
        #expect(!roster.isOverLimit)
    }

    @Test("one person beyond the limit stops the roster; people already in it may still be named again")
    func limit() {
        var roster = ParticipantRoster<String>(limit: 3)
        let first = roster.add(contentsOf: ["U1", "U2", "U3"])
        #expect(first)
        let again = roster.add("U2")
        #expect(again, "already in: still within the limit")
        #expect(!roster.isOverLimit)
        let fourth = roster.add("U4")
        #expect(!fourth)
        #expect(roster.isOverLimit)
        let afterwards = roster.add("U1")
        #expect(!afterwards, "nothing is accepted once over the limit")
        #expect(roster.ids == ["U1", "U2", "U3"], "never cut: the first three, and the flag says there were more")
    }

    @Test("a list longer than the limit stops at the first person too many")
    func limitWithinOneList() {
        var roster = ParticipantRoster<Int>(limit: 2)
        let accepted = roster.add(contentsOf: [1, 1, 2, 3, 4])
        #expect(!accepted)
        #expect(roster.ids == [1, 2])
        #expect(roster.isOverLimit)
    }
}
