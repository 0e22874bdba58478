import DebriefCore
import Foundation
import PropertyBased
import Testing

/// Property-based checks of the parsers for what people type: over arbitrary and digit-heavy strings they
/// never trap and always answer with a value or a typed error; valid values written out read back the same.
@Suite("Input parsers, property-based")
struct InputParserPropertyTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin") ?? .gmt

    // MARK: Generators

    static func characters(_ alphabet: String) -> Generator<Character, Shrink.None<Character?>> {
        Gen<Character?>.element(of: Array(alphabet)).map { $0 ?? "0" }
    }

    /// Anything at all, including control characters and non-ASCII Latin-1.
    static let anyText = Gen.latin1.string(of: 0...40)
    /// Mostly the characters dates and times are made of, so many inputs get far into the parser.
    static let dateLikeText = characters("0123456789012345678901234567890123456789-:.+TZtz ").string(of: 0...40)
    /// Long runs of digits (far beyond Int.max) with a unit or a sign around them.
    static let digitHeavyText = zip(
        characters("+-  "), Gen.number.string(of: 1...60), characters("dwmDWMy0 ")
    ).map { sign, digits, unit in
        String(sign).trimmingCharacters(in: .whitespaces) + digits + String(unit).trimmingCharacters(in: .whitespaces)
    }

    /// A calendar-valid date and time with an optional fraction and offset, as fields.
    static let validDateTime = zip(
        Gen.int(in: 1...9_999), Gen.int(in: 1...12), Gen.int(in: 1...31), Gen.int(in: 0...86_399),
        Gen.int(in: 0...999_999_999), Gen.int(in: -(14 * 60)...(14 * 60)), Gen.bool
    ).map { year, month, day, second, nanoseconds, offsetMinutes, hasOffset -> WrittenDateTime? in
        let clampedDay = min(day, DateTimeInput.daysInMonth(year: year, month: month))
        guard let date = LocalDate(year: year, month: month, day: clampedDay),
            let time = LocalTime(hour: second / 3_600, minute: second / 60 % 60, second: second % 60)
        else { return nil }
        return WrittenDateTime(
            local: LocalDateTime(date: date, time: time), nanoseconds: nanoseconds,
            offsetSeconds: hasOffset ? offsetMinutes * 60 : nil)
    }

    // MARK: Date and time

    @Test("the date and time reader answers every string with a value or a typed error")
    func dateTimeNeverTraps() async {
        await propertyCheck(count: 2_000, input: Gen.oneOf(Self.anyText, Self.dateLikeText, Self.digitHeavyText)) {
            text in
            Self.checkDateTimeReaders(text)
        }
    }

    static func checkDateTimeReaders(_ text: String) {
        do {
            let written = try DateTimeInput.dateTime(text)
            // Whatever was accepted is a real value, and reads back from its canonical form.
            #expect(try DateTimeInput.dateTime(written.description) == written, "\(text.debugDescription)")
            #expect(written.instant(in: berlin).timeIntervalSince1970.isFinite)
        } catch {
            let message = error.message(field: "`ended_at`")
            #expect(message.hasPrefix("`ended_at` must be a date and time like"), "\(message)")
            #expect(message.count < 400)
        }
        _ = try? DateTimeInput.date(text)
        _ = try? DateTimeInput.instant(text)
        _ = try? DateTimeInput.timeZone(text)
        _ = try? DateTimeInput.weeklyTime(text)
        _ = LocalDate(text)
        _ = LocalTime(text)
        _ = WeekKey(text)
    }

    @Test("a valid date and time, written out, reads back to the same fields and instant")
    func dateTimeRoundTrip() async {
        await propertyCheck(count: 2_000, input: Self.validDateTime) { value in
            guard let value else { return }
            let text = value.description
            let parsed = try DateTimeInput.dateTime(text)
            #expect(parsed == value, "\(text)")
            #expect(parsed.instant(in: Self.berlin) == value.instant(in: Self.berlin))
            if value.nanoseconds == 0, value.offsetSeconds != nil {
                #expect(try DateTimeInput.instant(text) == value.instant(in: .gmt))
            }
            #expect(try DateTimeInput.date(String(text.prefix(10))) == value.local.date)
        }
    }

    @Test("a written instant means what Foundation's Gregorian calendar says it means")
    func instantsAgreeWithFoundation() async {
        await propertyCheck(count: 1_000, input: Self.validDateTime) { value in
            // Foundation switches to the Julian calendar before October 1582; the reader is proleptic Gregorian.
            guard let value, let offset = value.offsetSeconds, value.local.date.year >= 1600,
                let zone = TimeZone(secondsFromGMT: offset)
            else { return }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let date = value.local.date
            let time = value.local.time
            let expected = calendar.date(
                from: DateComponents(
                    year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute,
                    second: time.second))
            let actual = value.instant(in: .gmt).addingTimeInterval(-Double(value.nanoseconds) / 1e9)
            #expect(expected.map { abs($0.timeIntervalSince(actual)) < 0.001 } == true, "\(value)")
        }
    }

    @Test("fields out of range are always refused")
    func outOfRangeFieldsAreRefused() async {
        let fields = zip(
            Gen.int(in: 0...10_000), Gen.int(in: 0...13), Gen.int(in: 0...32), Gen.int(in: 0...25),
            Gen.int(in: 0...61), Gen.int(in: 0...61), Gen.int(in: 0...16), Gen.int(in: 0...61))
        await propertyCheck(count: 3_000, input: fields) {
            year, month, day, hour, minute, second, offsetHours, offsetMinutes in
            let text =
                Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2) + "T" + Self.pad(hour, 2)
                + ":" + Self.pad(minute, 2) + ":" + Self.pad(second, 2) + "+" + Self.pad(offsetHours, 2) + ":"
                + Self.pad(offsetMinutes, 2)
            let valid =
                (1...9_999).contains(year) && (1...12).contains(month) && day >= 1
                && day <= DateTimeInput.daysInMonth(year: year, month: month) && hour <= 23 && minute <= 59
                && second <= 59 && offsetMinutes <= 59 && offsetHours * 60 + offsetMinutes <= 14 * 60
            #expect(((try? DateTimeInput.dateTime(text)) != nil) == valid, "\(text)")
        }
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    // MARK: Durations

    @Test("the pause length reader answers every string with a number of days in range or a typed error")
    func durationNeverTraps() async {
        await propertyCheck(count: 2_000, input: Gen.oneOf(Self.anyText, Self.digitHeavyText, Self.dateLikeText)) {
            text in
            let result = Result { () throws(DayDuration.Failure) -> Int in try DayDuration.parse(text, maximumDays: 365)
            }
            switch result {
            case .success(let days): #expect((1...365).contains(days), "\(text)")
            case .failure(let failure):
                let known: [DayDuration.Failure] = [.notALength, .notPositive, .tooLong(maximumDays: 365)]
                #expect(known.contains(failure))
            }
            _ = ReflectCommand.parse("pause " + text, today: (2026, 11, 23))
            _ = ReflectCommand.parse("pause until " + text, today: (2026, 11, 23))
        }
    }

    @Test("digits and a unit are too long exactly when the days exceed the maximum, however many digits")
    func durationOracle() async {
        let input = zip(Gen.number.string(of: 1...40), Gen<DayDuration.Unit>.case)
        await propertyCheck(count: 2_000, input: input) { digits, unit in
            let text = digits + unit.rawValue
            let significant = digits.drop { $0 == "0" }
            // Compared on the digits, without integer arithmetic that could itself overflow.
            let days = significant.count > 6 ? nil : (Int(significant) ?? 0) * unit.days
            let result = Result { () throws(DayDuration.Failure) -> Int in try DayDuration.parse(text, maximumDays: 365)
            }
            switch days {
            case nil: #expect(result == .failure(.tooLong(maximumDays: 365)), "\(text)")
            case 0?: #expect(result == .failure(.notPositive), "\(text)")
            case let days? where days > 365: #expect(result == .failure(.tooLong(maximumDays: 365)), "\(text)")
            case let days?: #expect(result == .success(days), "\(text)")
            }
        }
    }

    @Test("a length written out reads back as its number of days")
    func durationRoundTrip() async {
        let units = Gen<DayDuration.Unit??>.element(of: [nil, .days, .weeks, .months] as [DayDuration.Unit?])
        await propertyCheck(count: 1_000, input: Gen.int(in: 1...400), units) { count, unit in
            let unit = unit ?? nil
            let text = DayDuration.text(count: count, unit: unit)
            let days = count * (unit?.days ?? 1)
            let result = Result { () throws(DayDuration.Failure) -> Int in try DayDuration.parse(text, maximumDays: 365)
            }
            #expect(result == (days <= 365 ? .success(days) : .failure(.tooLong(maximumDays: 365))), "\(text)")
            if days <= 365 {
                #expect(ReflectCommand.parse("pause \(text)", today: (2026, 11, 23)) == .pause(.days(days)))
            }
        }
    }

    // MARK: /debrief

    @Test("the admin command parser answers every string with a command")
    func adminCommandNeverTraps() async {
        let prefixes = Self.characters("abc")
        await propertyCheck(
            count: 2_000, input: Gen.oneOf(Self.anyText, Self.dateLikeText, Self.digitHeavyText), prefixes
        ) { text, prefix in
            let lead: String
            switch prefix {
            case "a": lead = "training add \"T\" participants:<#C1|x> ended:"
            case "b": lead = "digest preview "
            default: lead = ""
            }
            switch AdminCommand.parse(lead + text, timeZone: Self.berlin) {
            case .invalid(let message): #expect(!message.isEmpty)
            case .trainingAdd(let request): #expect(request.endedAt.timeIntervalSince1970.isFinite)
            case .help, .trainingList, .digestPreview: break
            }
        }
    }

    @Test("a training written as a /debrief command reads back as the same training")
    func adminCommandRoundTrip() async {
        let input = zip(
            Gen.letterOrNumber.string(of: 1...30), Self.validDateTime, Gen.letterOrNumber.string(of: 1...11))
        await propertyCheck(count: 1_000, input: input) { title, ended, group in
            guard let ended else { return }
            let text = "training add \"\(title)\" ended:\(ended) participants:<!subteam^S\(group)|@cohort>"
            let expected = TrainingRequest(
                title: title, endedAt: ended.instant(in: Self.berlin), participants: [.userGroup(id: "S" + group)])
            #expect(AdminCommand.parse(text, timeZone: Self.berlin) == .trainingAdd(expected), "\(text)")
        }
    }
}
