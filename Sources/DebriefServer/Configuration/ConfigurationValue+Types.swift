import DebriefCore
import Foundation

/// `DEBRIEF_TIMEZONE`: an IANA zone, read by the same rules as every zone people type.
extension TimeZone: ConfigurationValue {
    init(configurationText text: String) throws(InvalidConfigurationValue) {
        do {
            self = try DateTimeInput.timeZone(text)
        } catch {
            throw InvalidConfigurationValue(error.reason)
        }
    }
}

/// `DEBRIEF_DIGEST_TIME`: `MON 09:00`, optionally with a zone.
extension DigestSchedule: ConfigurationValue {
    init(configurationText text: String) throws(InvalidConfigurationValue) {
        do {
            self = try DigestSchedule.parse(text)
        } catch {
            throw InvalidConfigurationValue(error.reason)
        }
    }
}

/// One `name=ID` entry of a list such as `DEBRIEF_TEAM_GROUPS` (`Sales=S10`).
struct NamedID: ConfigurationValue, Sendable, Equatable {
    var name: String
    var id: String

    init(configurationText text: String) throws(InvalidConfigurationValue) {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw InvalidConfigurationValue("entries must look like name=ID, got '\(text)'")
        }
        name = parts[0]
        id = parts[1]
    }
}

/// A digest channel, optionally with its own posting time: `C20` or `C20@TUE 10:00[ Zone/Name]`.
struct ScheduledChannel: ConfigurationValue, Sendable, Equatable {
    var channel: String
    /// Nil: the standard `DEBRIEF_DIGEST_TIME`.
    var schedule: DigestSchedule?

    init(configurationText text: String) throws(InvalidConfigurationValue) {
        let parts = text.split(separator: "@", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else {
            channel = text
            schedule = nil
            return
        }
        guard !parts[0].isEmpty else {
            throw InvalidConfigurationValue("needs a channel id before '@', such as C20@TUE 10:00, got '\(text)'")
        }
        channel = parts[0]
        do {
            schedule = try DigestSchedule.parse(parts[1])
        } catch {
            throw InvalidConfigurationValue("entry '\(text)': the time after '@' " + error.reason)
        }
    }
}

/// A Teams channel id with an optional posting time: `19:abc@thread.tacv2` or `19:abc@thread.tacv2@TUE 10:00`.
/// Teams ids contain an `@` of their own, so the time is whatever follows the `@` after the `@thread.` part.
struct TeamsScheduledChannel: ConfigurationValue, Sendable, Equatable {
    var channel: String
    var schedule: DigestSchedule?

    init(configurationText text: String) throws(InvalidConfigurationValue) {
        guard text.hasPrefix("19:"), let thread = text.range(of: "@thread.") else {
            throw InvalidConfigurationValue(
                "must be a Teams channel id like 19:abc…@thread.tacv2 (the bot says it when added to a team), "
                    + "got '\(text)'")
        }
        guard let at = text[thread.upperBound...].firstIndex(of: "@") else {
            channel = text
            schedule = nil
            return
        }
        channel = String(text[..<at]).trimmingCharacters(in: .whitespaces)
        do {
            schedule = try DigestSchedule.parse(
                String(text[text.index(after: at)...]).trimmingCharacters(in: .whitespaces))
        } catch {
            throw InvalidConfigurationValue("entry '\(text)': the time after '@' " + error.reason)
        }
    }
}
