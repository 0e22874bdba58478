import Foundation
import HTTPTypes

/// Parses the `Retry-After` response header (RFC 9110 §10.2.3).
///
/// Why: Slack answers rate-limited calls with 429 and `Retry-After: <seconds>`; waiting exactly that long is
/// both the fastest way through and what keeps the app from being throttled harder. The HTTP-date form is
/// accepted too because some gateways in front of Teams use it.
public enum RetryAfter {
    /// The longest delay a `Retry-After` is read as: one hour. Slack asks for seconds to a minute; a larger
    /// value is a broken or hostile header, and honouring it (10^12 s, or a date in the year 9999) would stop a
    /// workspace's sends for ever, and the sleep that waits for it would trap. Larger values are read as this
    /// cap, which is still above every caller's in-request limit, so callers reschedule instead of waiting.
    public static let maximumDelay: Duration = .seconds(3_600)

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
    /// - `"120"` (delay-seconds) → 120 s. More than ``maximumDelay`` (any number of digits) → ``maximumDelay``.
    /// - `"Sun, 06 Nov 1994 08:49:37 GMT"` (IMF-fixdate) → the time from `now` until then, `.zero` if past, at
    ///   most ``maximumDelay``.
    /// - Anything else (negative, fractional, other date formats) → `nil`.
    public static func delay(fromHeaderValue value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let seconds = Int64(trimmed) else { return maximumDelay }
            return min(.seconds(seconds), maximumDelay)
        }
        guard let date = parseIMFFixdate(trimmed) else { return nil }
        let interval = date.timeIntervalSince(now)
        guard interval > 0 else { return .zero }
        // Compared as seconds before converting: a far-away date must not reach the Int64 conversion.
        guard interval < TimeInterval(maximumDelay.components.seconds) else { return maximumDelay }
        return .milliseconds(Int64((interval * 1000).rounded(.up)))
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
