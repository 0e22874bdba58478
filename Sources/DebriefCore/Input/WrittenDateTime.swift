import Foundation

/// A date and time exactly as someone wrote it: the wall-clock reading, a fraction of a second, and the UTC
/// offset when one was written.
///
/// Kept apart from the instant because a time written without an offset ("ended:2026-11-20T16:00") means the
/// organisation's wall clock, which only the caller knows; ``instant(in:)`` applies it. ``description`` writes
/// the value back in the canonical RFC 3339 form, which ``DateTimeInput/dateTime(_:)`` reads to the same value.
public struct WrittenDateTime: Sendable, Hashable, CustomStringConvertible {
    public var local: LocalDateTime
    /// 0 ..< 1,000,000,000.
    public var nanoseconds: Int
    /// Seconds east of UTC, within ±14 hours; nil when no offset was written.
    public var offsetSeconds: Int?

    /// Values outside the documented ranges are clamped into them (the parser never produces such values).
    public init(local: LocalDateTime, nanoseconds: Int = 0, offsetSeconds: Int? = nil) {
        self.local = local
        self.nanoseconds = min(max(nanoseconds, 0), 999_999_999)
        let widest = DateTimeInput.maximumOffsetSeconds
        self.offsetSeconds = offsetSeconds.map { min(max($0, -widest), widest) }
    }

    /// The instant meant: by the written offset, else on the wall clock of `zone` (a time skipped by a
    /// daylight-saving change moves later by the gap, a repeated one is the earlier instant; see
    /// `TimeZone.instant(for:)`).
    public func instant(in zone: TimeZone) -> Date {
        let whole: Date
        if let offsetSeconds {
            whole = Date(timeIntervalSince1970: TimeInterval(local.wallSeconds - offsetSeconds))
        } else {
            whole = zone.instant(for: local)
        }
        return whole.addingTimeInterval(TimeInterval(nanoseconds) / 1e9)
    }

    /// `2026-11-20T16:00:00+01:00`, `2026-11-20T15:00:00.25Z`, or without an offset when none was written.
    public var description: String {
        let date = local.date
        let time = local.time
        var text = LocalDate.pad(date.year, 4) + "-" + LocalDate.pad(date.month, 2) + "-" + LocalDate.pad(date.day, 2)
        text +=
            "T" + LocalDate.pad(time.hour, 2) + ":" + LocalDate.pad(time.minute, 2) + ":"
            + LocalDate.pad(time.second, 2)
        if nanoseconds > 0 {
            var fraction = LocalDate.pad(nanoseconds, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        if let offsetSeconds {
            if offsetSeconds == 0 {
                text += "Z"
            } else {
                let minutes = offsetSeconds.magnitude / 60
                text +=
                    (offsetSeconds < 0 ? "-" : "+") + LocalDate.pad(Int(minutes / 60), 2) + ":"
                    + LocalDate.pad(Int(minutes % 60), 2)
            }
        }
        return text
    }
}
