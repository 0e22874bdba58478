import Foundation
import HTTPTypes

/// Parses the `Retry-After` response header (RFC 9110 §10.2.3).
///
/// Why: Slack answers rate-limited calls with 429 and `Retry-After: <seconds>`; waiting exactly that long is
/// both the fastest way through and what keeps the app from being throttled harder. The HTTP-date form is
/// accepted too because some gateways in front of Teams use it.
public enum RetryAfter {
    /// The delay a response asks for, or `nil` when it has no usable `Retry-After` field.
    ///
    /// - Parameters:
    ///   - fields: The response's header fields.
    ///   - now: The current time, used only for the HTTP-date form.
    public static func delay(in fields: HTTPFields, now: Date) -> Duration? {
        guard let value = fields[.retryAfter] else { return nil }
        return delay(fromHeaderValue: value, now: now)
    }

    /// Parses one `Retry-After` value.
    ///
    /// - `"120"` (delay-seconds) → 120 s. A number too large to represent is returned as a very long delay
    ///   so a caller's cap rejects it.
    /// - `"Sun, 06 Nov 1994 08:49:37 GMT"` (IMF-fixdate) → the time from `now` until then, `.zero` if past.
    /// - Anything else (negative, fractional, other date formats) → `nil`.
    public static func delay(fromHeaderValue value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let seconds = Int64(trimmed) else { return .seconds(Int64.max) }
            return .seconds(seconds)
        }
        guard let date = parseIMFFixdate(trimmed) else { return nil }
        let interval = date.timeIntervalSince(now)
        return interval > 0 ? .milliseconds(Int64((interval * 1000).rounded(.up))) : .zero
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `day-name, DD Mon YYYY HH:MM:SS GMT`, the only date form senders are allowed to generate.
    static func parseIMFFixdate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
            let day = Int(parts[1]), parts[1].count == 2,
            let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3]), parts[3].count == 4
        else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
            let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        let components = DateComponents(
            year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day  // rejects "31 Feb"
        else { return nil }
        return date
    }
}
