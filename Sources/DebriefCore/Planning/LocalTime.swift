/// A wall-clock time of day (no date, no zone), such as the start of someone's working day.
///
/// Working hours are agreed in local wall time ("09:30"), and they stay 09:30 across a daylight-saving change;
/// keeping them zone-free lets the planner apply them on any date and convert to an instant only at the end.
/// Encoded as `"09:30"` (or `"09:30:15"` when seconds matter).
public struct LocalTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds after local midnight, 0 ..< 86 400.
    public let secondsSinceMidnight: Int

    init(uncheckedSeconds: Int) { self.secondsSinceMidnight = uncheckedSeconds }

    /// Returns nil outside 00:00:00 ... 23:59:59.
    public init?(hour: Int, minute: Int, second: Int = 0) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        self.secondsSinceMidnight = hour * 3600 + minute * 60 + second
    }

    /// Parses `HH:MM` or `HH:MM:SS`: two ASCII digits each (no sign, no other digits), nothing after.
    public init?(_ text: String) {
        var scanner = InputScanner(text)
        let colon = UInt8(ascii: ":")
        guard let hour = scanner.digits(2), scanner.take(colon), let minute = scanner.digits(2) else { return nil }
        var second = 0
        if scanner.take(colon) {
            guard let seconds = scanner.digits(2) else { return nil }
            second = seconds
        }
        guard scanner.isAtEnd else { return nil }
        self.init(hour: hour, minute: minute, second: second)
    }

    /// 12:00, the default cut-off for the last working day of the week.
    public static let noon = LocalTime(uncheckedSeconds: 12 * 3600)

    public var hour: Int { secondsSinceMidnight / 3600 }
    public var minute: Int { secondsSinceMidnight / 60 % 60 }
    public var second: Int { secondsSinceMidnight % 60 }

    public var description: String {
        let base = LocalDate.pad(hour, 2) + ":" + LocalDate.pad(minute, 2)
        return second == 0 ? base : base + ":" + LocalDate.pad(second, 2)
    }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool {
        lhs.secondsSinceMidnight < rhs.secondsSinceMidnight
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = LocalTime(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a time of day as HH:MM, got \(text)")
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
