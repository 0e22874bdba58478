/// A length of time in whole days as people type it after `/reflect pause`: `3d`, `2w`, `1m` (30 days) or a
/// bare number of days.
///
/// Why its own reader: the count is typed by anyone in the workspace, and `count * 7` on a number such as
/// `9223372036854775807` traps and takes the whole server down. Digits are accumulated with overflow
/// reporting, so any number too large to represent is simply "too long".
public enum DayDuration {
    /// The units a count may carry.
    public enum Unit: String, Sendable, CaseIterable {
        case days = "d"
        case weeks = "w"
        /// 30 days, not a calendar month: "1m" should not depend on the month it is typed in.
        case months = "m"

        public var days: Int {
            switch self {
            case .days: 1
            case .weeks: 7
            case .months: 30
            }
        }
    }

    /// Why a length was refused.
    public enum Failure: Error, Sendable, Equatable {
        /// Not digits followed by at most one unit (`soon`, `2y`, `-3d`, `+3d`, `3 d`).
        case notALength
        /// Zero days.
        case notPositive
        /// More than the maximum, including numbers too large to represent.
        case tooLong(maximumDays: Int)
    }

    /// The number of days `text` stands for, from 1 to `maximumDays`. The unit letter may be upper case.
    public static func parse(_ text: String, maximumDays: Int) throws(Failure) -> Int {
        var bytes = Array(text.utf8)
        var unit = Unit.days
        if let last = bytes.last, InputScanner.digit(last) == nil {
            guard let named = Unit(rawValue: String(decoding: [last | 0x20], as: UTF8.self)) else {
                throw .notALength
            }
            unit = named
            bytes.removeLast()
        }
        guard !bytes.isEmpty else { throw .notALength }
        var count = 0
        var overflowed = false
        for byte in bytes {
            guard let digit = InputScanner.digit(byte) else { throw .notALength }
            guard !overflowed else { continue }
            let (shifted, overflow1) = count.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { overflowed = true } else { count = sum }
        }
        guard !overflowed else { throw .tooLong(maximumDays: maximumDays) }
        let (days, overflow) = count.multipliedReportingOverflow(by: unit.days)
        guard !overflow, days <= maximumDays else { throw .tooLong(maximumDays: maximumDays) }
        guard days >= 1 else { throw .notPositive }
        return days
    }

    /// How the length is typed: `12d`, `2w`, `1m`; a bare number of days when `unit` is nil.
    public static func text(count: Int, unit: Unit?) -> String {
        "\(count)" + (unit?.rawValue ?? "")
    }
}
