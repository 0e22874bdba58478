import Foundation

/// Parses stage offsets written in `prompts/nudges/*.yaml`: `+1d`, `+36h`, `+2w`, `+90m`.
///
/// The syntax accepts minutes and hours; the sequence loader then requires whole days (`+48h` is fine,
/// `+36h` is reported), because the core planner counts local calendar days.
///
/// A tiny fixed syntax (sign, whole number, one unit) instead of ISO 8601 durations, because the
/// people editing sequences are trainers, and "+3d" is what they would write on a whiteboard.
public enum NudgeOffset {
    /// The latest a stage may come: a year after the training.
    public static let maximum: Duration = .seconds(365 * 86_400)

    /// The duration of `text`, or nil when it is not `+` (optional), a whole number of at most six
    /// digits, and one of the units `m` (minutes), `h` (hours), `d` (days), `w` (weeks).
    /// Zero parses; callers decide whether it is allowed.
    public static func parse(_ text: String) -> Duration? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.first == "+" { rest = rest.dropFirst() }
        guard let unit = rest.last else { return nil }
        let digits = rest.dropLast()
        guard !digits.isEmpty, digits.count <= 6,
            digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let number = Int64(digits)
        else { return nil }
        let seconds: Int64
        switch unit {
        case "m": seconds = 60
        case "h": seconds = 3_600
        case "d": seconds = 86_400
        case "w": seconds = 7 * 86_400
        default: return nil
        }
        return .seconds(number * seconds)
    }

    /// The offset as authors write it, in the largest whole unit: `+3d`, `+36h`, `+2w`.
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        for (unit, size) in [("w", Int64(7 * 86_400)), ("d", 86_400), ("h", 3_600), ("m", 60)]
        where seconds != 0 && seconds % size == 0 {
            return "+\(seconds / size)\(unit)"
        }
        return "+\(seconds)s"
    }
}
