import Foundation
import Testing

@testable import DebriefCore

/// Ten thousand participants of one session must not all be messaged in the same second.
@Suite("Nudge planner: send-time spread")
struct NudgeSpreadTests {
    static func pseudonyms(_ count: Int) -> [Pseudonym] {
        // Shaped like real pseudonyms (p_ + 32 hex digits) but deliberately similar to each other.
        (0..<count).map { index in
            let hex = String(index, radix: 16)
            return Pseudonym(rawValue: "p_" + String(repeating: "0", count: 32 - hex.count) + hex)
        }
    }

    static func firstSend(
        _ pseudonym: Pseudonym, zone: TimeZone, endedAt: Date, hours: WorkingHours? = nil
    ) -> PlannedNudge? {
        NudgePlanner.plan(
            training: TrainingSchedule(id: "t1", endedAt: endedAt),
            person: PersonCalendar(person: pseudonym, timeZone: zone, workingHours: hours),
            rules: CalendarRules(defaultTimeZone: zone), history: .empty, now: endedAt
        ).planned.first
    }

    @Test("10,000 people land evenly across 09:30–11:00 on their own clock, never outside it")
    func spreadAcrossWindow() throws {
        let berlin = try Fixture.zone("Europe/Berlin")
        let endedAt = try Fixture.instant("2026-03-19T16:00:00+01:00")
        let times = Self.pseudonyms(10_000).compactMap { Self.firstSend($0, zone: berlin, endedAt: endedAt)?.local }
        #expect(times.count == 10_000)
        #expect(times.allSatisfy { $0.date.description == "2026-03-20" })
        let opening = try Fixture.time("09:30")
        let closing = try Fixture.time("11:00")
        #expect(times.allSatisfy { $0.time >= opening && $0.time < closing })
        // Nine 10-minute buckets: each should get about 11% of the people (uniform within ±3 points).
        let buckets = Dictionary(grouping: times) {
            ($0.time.secondsSinceMidnight - opening.secondsSinceMidnight) / 600
        }
        #expect(buckets.keys.sorted() == Array(0..<9))
        #expect(buckets.values.allSatisfy { (800...1_400).contains($0.count) })
        #expect(Set(times.map(\.time)).count > 4_000)
    }

    @Test("a person's minute is fixed: the same in every plan, process and release")
    func stableMinute() throws {
        let berlin = try Fixture.zone("Europe/Berlin")
        let endedAt = try Fixture.instant("2026-03-19T16:00:00+01:00")
        let first = try #require(Self.firstSend(Fixture.alice, zone: berlin, endedAt: endedAt))
        // Pinned (FNV-1a + SplitMix64, offset 789 s of 5,400): a different hash (for example Swift's per-process `Hasher`) would move every queued nudge.
        #expect(first.local.shown == "Fri 2026-03-20 09:43:09")
        #expect(first.at.iso == "2026-03-20T08:43:09Z")
        let later = NudgePlanner.plan(
            training: TrainingSchedule(id: "t2", endedAt: try Fixture.instant("2026-06-10T16:00:00+02:00")),
            person: PersonCalendar(person: Fixture.alice, timeZone: berlin), rules: CalendarRules(), history: .empty,
            now: endedAt)
        #expect(later.planned.first?.local.time == first.local.time)
    }

    @Test("on a Friday with a short window the spread stays inside it (11:00–12:00)")
    func spreadInShortFridayWindow() throws {
        let berlin = try Fixture.zone("Europe/Berlin")
        let endedAt = try Fixture.instant("2026-05-07T16:00:00+02:00")
        let hours = try Fixture.hours(Weekday.mondayToFriday, "11:00", "19:00")
        let sends = Self.pseudonyms(500).compactMap { Self.firstSend($0, zone: berlin, endedAt: endedAt, hours: hours) }
        #expect(sends.count == 500)
        #expect(sends.allSatisfy { $0.local.date.weekday == .friday })
        let eleven = try Fixture.time("11:00")
        let noon = try Fixture.time("12:00")
        #expect(sends.allSatisfy { $0.local.time >= eleven && $0.local.time < noon })
    }
}
