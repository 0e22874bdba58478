import Configuration
import DebriefCore
import DebriefServer
import Foundation

extension FuzzTarget {
    /// The Teams settings an operator types: digest channels with their own times, and the GUIDs of the bot's
    /// registration. Read through the public configuration reader, as at start. The first byte picks the key:
    /// 0 mod 4 `DEBRIEF_TEAMS_LEADERSHIP_CHANNEL`, 1 `DEBRIEF_TEAMS_TEAM_CHANNELS`, 2 `MicrosoftAppTenantId`,
    /// 3 `MicrosoftAppId`.
    static let teamsConfiguration = FuzzTarget(
        name: "teams-configuration",
        summary: "Teams digest channels (19:…@thread.tacv2[@MON 09:00]) and the GUIDs of MicrosoftApp* settings"
    ) { input in
        let (selector, rest) = input.selector
        let text = rest.text
        switch selector % 4 {
        case 0:
            let key = ConfigurationKey.teamsLeadershipChannel
            guard let digests = TeamsConfigurationChecks.read([key.environmentName: text], key: key)?.digests else {
                return
            }
            guard let channel = digests.teamsLeadershipChannel else {
                FuzzExpect.that(
                    text.trimmingCharacters(in: .whitespaces).isEmpty, "a leadership channel that is set is kept")
                return
            }
            TeamsConfigurationChecks.channel(channel, schedule: digests.schedules["teams:leadership"], key: key)
        case 1:
            let key = ConfigurationKey.teamsTeamChannels
            guard let digests = TeamsConfigurationChecks.read([key.environmentName: text], key: key)?.digests else {
                return
            }
            FuzzExpect.that(
                digests.teamsTeamChannels.count <= text.split(separator: ",").count, "one channel per entry at most")
            let teams = digests.teamsTeamChannels.map(\.team)
            for (team, channel) in digests.teamsTeamChannels.prefix(3) where teams.filter({ $0 == team }).count == 1 {
                TeamsConfigurationChecks.channel(channel, schedule: digests.schedules["teams:team:\(team)"], key: key)
            }
        case 2:
            let key = ConfigurationKey.teamsTenantID
            let environment = [
                "MicrosoftAppId": "00000000-0000-0000-0000-000000000001", "MicrosoftAppPassword": "secret",
                "MicrosoftAppTenantId": text,
            ]
            let configuration = TeamsConfigurationChecks.read(environment, key: key)
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let expected = TeamsConfigurationChecks.isGUID(trimmed)
            FuzzExpect.that((configuration != nil) == expected, "a tenant id is accepted exactly when it is a GUID")
            if let credentials = configuration?.teams.credentials {
                FuzzExpect.that(credentials.tenantID == trimmed.lowercased(), "the tenant id is kept lower-cased")
            }
        default:
            let key = ConfigurationKey.teamsAppID
            let environment = [
                "MicrosoftAppId": text, "MicrosoftAppPassword": "secret", "MicrosoftAppType": "MultiTenant",
            ]
            let configuration = TeamsConfigurationChecks.read(environment, key: key)
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            FuzzExpect.that(
                (configuration != nil) == TeamsConfigurationChecks.isGUID(trimmed),
                "an app id is accepted exactly when it is a GUID")
            if let credentials = configuration?.teams.credentials {
                FuzzExpect.that(credentials.appID == trimmed.lowercased(), "the app id is kept lower-cased")
            }
        }
    }
}

enum TeamsConfigurationChecks {
    /// The configuration from these variables alone, nil when refused; a refusal must name `key`.
    static func read(_ environment: [String: String], key: ConfigurationKey) -> DebriefConfiguration? {
        let aliased = ConfigurationKey.aliasingMicrosoftNames(in: environment)
        let reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: aliased))
        do {
            return try DebriefConfiguration(reader: reader)
        } catch {
            FuzzExpect.that(error.description.contains(key.environmentName), "a refused setting is named")
            return nil
        }
    }

    /// A kept channel is a Teams channel id, and writing it back with its time reads the same channel and time.
    static func channel(_ channel: String, schedule: DigestSchedule?, key: ConfigurationKey) {
        FuzzExpect.that(channel.hasPrefix("19:") && channel.contains("@thread."), "a Teams channel is 19:…@thread.…")
        let written = schedule.map { channel + "@" + Self.write($0) } ?? channel
        guard let again = read([key.environmentName: Self.entry(written, key: key)], key: key)?.digests else {
            FuzzExpect.that(false, "a channel and time read back as written: \(written)")
            return
        }
        if key == .teamsLeadershipChannel {
            FuzzExpect.that(again.teamsLeadershipChannel == channel, "a leadership channel round-trips")
            FuzzExpect.that(again.schedules["teams:leadership"] == schedule, "its time round-trips")
        } else {
            FuzzExpect.that(again.teamsTeamChannels.first?.channel == channel, "a team channel round-trips")
            FuzzExpect.that(again.schedules["teams:team:fuzz"] == schedule, "its time round-trips")
        }
    }

    static func entry(_ written: String, key: ConfigurationKey) -> String {
        key == .teamsTeamChannels ? "fuzz=" + written : written
    }

    /// `MON 09:00 Europe/Berlin`, the form the README documents.
    static func write(_ schedule: DigestSchedule) -> String {
        let days = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
        let day = (1...7).contains(schedule.weekday) ? days[schedule.weekday - 1] : "?"
        func twoDigits(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        let time = "\(day) \(twoDigits(schedule.hour)):\(twoDigits(schedule.minute))"
        return schedule.timeZone.map { time + " " + $0.identifier } ?? time
    }

    /// `8-4-4-4-12` hexadecimal digits, written out independently of the server's check.
    static func isGUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.utf8.count) == [8, 4, 4, 4, 12]
            && groups.allSatisfy { $0.utf8.allSatisfy { byte in Character(UnicodeScalar(byte)).isHexDigit } }
    }
}
