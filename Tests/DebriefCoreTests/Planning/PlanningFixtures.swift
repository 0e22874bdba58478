import Foundation
import Testing

@testable import DebriefCore

/// Shared inputs for the planner tables: instants are written as ISO-8601 text so each row reads like the
/// calendar it describes.
enum Fixture {
    static let alice = Pseudonym(rawValue: "p_3f7a1c0d9e2b4a6f8c1d3e5f7a9b0c2d")

    static func instant(_ text: String) throws -> Date {
        try Date(text, strategy: .iso8601)
    }

    static func zone(_ identifier: String) throws -> TimeZone {
        try #require(TimeZone(identifier: identifier), "unknown zone \(identifier)")
    }

    static func date(_ text: String) throws -> LocalDate {
        try #require(LocalDate(text), "bad date \(text)")
    }

    static func time(_ text: String) throws -> LocalTime {
        try #require(LocalTime(text), "bad time \(text)")
    }

    /// Default rules, but everyone is sent at the start of their window so rows can state exact minutes.
    static func rules(
        zone: TimeZone = .gmt, holidays: Set<LocalDate> = [], reminder: ReminderRule? = ReminderRule(),
        maximumPerWeek: Int = 2
    ) -> CalendarRules {
        CalendarRules(
            defaultTimeZone: zone, holidays: holidays, maximumPerWeek: maximumPerWeek, reminder: reminder,
            spread: .windowStart)
    }

    static func person(
        _ zone: TimeZone?, hours: WorkingHours? = nil, preferences: PersonPreferences = PersonPreferences(),
        erased: Bool = false, pseudonym: Pseudonym = alice
    ) -> PersonCalendar {
        PersonCalendar(
            person: pseudonym, timeZone: zone, workingHours: hours, preferences: preferences, isErased: erased)
    }

    static func training(_ id: String = "t1", endedAt: String) throws -> TrainingSchedule {
        TrainingSchedule(id: id, endedAt: try instant(endedAt))
    }

    static func hours(_ days: Set<Weekday> = Weekday.mondayToFriday, _ start: String, _ end: String) throws
        -> WorkingHours
    {
        WorkingHours(days: days, start: try time(start), end: try time(end))
    }
}

extension Date {
    /// `2026-03-20T08:30:00Z`
    var iso: String { formatted(.iso8601) }
}

extension LocalDateTime {
    /// What the person sees: `Fri 2026-03-20 09:30`.
    var shown: String { "\(date.weekday.shortName) \(self)" }
}

extension PlannedNudge {
    /// `d3 primary Mon 2026-03-23 09:30 = 2026-03-23T08:30:00Z`: one line per DM, as a test expectation.
    var line: String { "\(trainingPrefix)\(stageID) \(kind.rawValue) \(local.shown) = \(at.iso)" }
    private var trainingPrefix: String { trainingID == "t1" ? "" : "\(trainingID):" }
}

extension CancelledNudge {
    /// `d1 reminder supersededByNextStage`
    var line: String { "\(trainingID == "t1" ? "" : "\(trainingID):")\(stageID) \(kind.rawValue) \(reason.rawValue)" }
}

extension NudgePlan {
    var plannedLines: [String] { planned.map(\.line) }
    var cancelledLines: [String] { cancelled.map(\.line) }
    var primaryLines: [String] { planned.filter { $0.kind == .primary }.map(\.line) }
}
