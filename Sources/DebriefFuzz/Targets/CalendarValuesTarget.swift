import DebriefCore
import Foundation

extension FuzzTarget {
    /// The calendar values read from text and from stored JSON: `LocalDate`, `LocalTime`, `WeekKey`.
    static let calendarValues = FuzzTarget(
        name: "calendar-values",
        summary: "LocalDate, LocalTime and WeekKey from text and as JSON strings, with their round trips"
    ) { input in
        let text = input.text
        if let date = LocalDate(text) {
            FuzzExpect.that(date.description == text, "a date is written back as it was read")
            let week = date.week
            FuzzExpect.that((1...53).contains(week.week), "an ISO week is 1…53")
            FuzzExpect.that(
                WeekKey(week.description) == week || !DateTimeInput.years.contains(week.year),
                "a date's week reads back")
            _ = date.weekday
        }
        if let time = LocalTime(text) {
            FuzzExpect.that(LocalTime(time.description) == time, "a time of day round-trips")
        }
        if let week = WeekKey(text) {
            FuzzExpect.that(week.description == text, "a week is written back as it was read")
            FuzzExpect.that(week.monday.week == week, "a week starts on its own Monday")
            FuzzExpect.that(week.previous < week, "the week before comes first")
            _ = week.adding(weeks: 53)
        }
        // Stored JSON (`"2026-11-20"`) goes through the same readers.
        let quoted = Data(
            ("\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\"").utf8)
        let decoder = JSONDecoder()
        FuzzExpect.that(
            (try? decoder.decode(LocalDate.self, from: quoted)) == LocalDate(text), "JSON and text read dates alike")
        FuzzExpect.that(
            (try? decoder.decode(LocalTime.self, from: quoted)) == LocalTime(text), "JSON and text read times alike")
        FuzzExpect.that(
            (try? decoder.decode(WeekKey.self, from: quoted)) == WeekKey(text), "JSON and text read weeks alike")
        _ = try? decoder.decode(LocalDate.self, from: input.data)
        _ = try? decoder.decode(WeekKey.self, from: input.data)
    }
}
