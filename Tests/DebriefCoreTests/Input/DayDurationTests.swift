import DebriefCore
import Testing

/// `/reflect pause <length>`: no number anyone types may trap (issue #9, class 1).
@Suite("Pause lengths")
struct DayDurationTests {
    @Test(
        "lengths within the limit",
        arguments: [
            ("1", 1), ("10", 10), ("3d", 3), ("3D", 3), ("2w", 14), ("2W", 14), ("1m", 30), ("12m", 360),
            ("52w", 364), ("365d", 365), ("365", 365), ("0000007d", 7),
        ])
    func accepted(text: String, days: Int) throws {
        #expect(try DayDuration.parse(text, maximumDays: 365) == days)
    }

    @Test(
        "huge, negative and malformed lengths are refused, never trapped on",
        arguments: [
            ("9223372036854775807w", DayDuration.Failure.tooLong(maximumDays: 365)),
            ("9223372036854775807m", .tooLong(maximumDays: 365)),
            ("9223372036854775807d", .tooLong(maximumDays: 365)),
            ("9223372036854775807", .tooLong(maximumDays: 365)),
            ("9223372036854775808d", .tooLong(maximumDays: 365)),
            ("1317624576693539402w", .tooLong(maximumDays: 365)),  // × 7 is just past Int.max
            ("99999999999999999999999999999999999999w", .tooLong(maximumDays: 365)),
            ("366d", .tooLong(maximumDays: 365)), ("53w", .tooLong(maximumDays: 365)),
            ("13m", .tooLong(maximumDays: 365)),
            ("-9223372036854775808w", .notALength), ("-9223372036854775807m", .notALength),
            ("-1d", .notALength), ("+3d", .notALength), ("0d", .notPositive), ("0", .notPositive),
            ("00w", .notPositive), ("d", .notALength), ("", .notALength), ("2y", .notALength),
            ("3 d", .notALength), ("٣d", .notALength), ("３d", .notALength), ("1.5w", .notALength),
            ("2ww", .notALength),
        ])
    func refused(text: String, failure: DayDuration.Failure) {
        #expect(throws: failure) { try DayDuration.parse(text, maximumDays: 365) }
    }

    @Test("the written form of every unit reads back", arguments: DayDuration.Unit.allCases)
    func writtenForm(unit: DayDuration.Unit) throws {
        #expect(try DayDuration.parse(DayDuration.text(count: 2, unit: unit), maximumDays: 365) == 2 * unit.days)
    }
}
