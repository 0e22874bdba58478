import Configuration
import DebriefServer
import Foundation
import Testing

@Suite("Configuration catalogue")
struct ConfigurationCatalogueTests {
    /// The README's configuration table: the lines from its header row to the first line that is not a row.
    static func readmeTableLines() throws -> [String] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let lines = try String(contentsOf: readme, encoding: .utf8).components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("| Environment | YAML key |") })
        return Array(lines[start...].prefix { $0.hasPrefix("|") })
    }

    @Test("the README's configuration table lists exactly the keys the server reads, with their defaults")
    func readmeTable() throws {
        let documented = try Self.readmeTableLines()
        let expected = ConfigurationKey.readmeTable.components(separatedBy: "\n")
        var problems: [String] = []
        for line in expected where !documented.contains(line) {
            problems.append("the README lacks this row, or words it differently:\n\(line)")
        }
        for line in documented where !expected.contains(line) {
            problems.append("the README has a row the catalogue (ConfigurationKey) does not:\n\(line)")
        }
        if problems.isEmpty && documented != expected {
            problems.append("the README's rows are not in catalogue order")
        }
        if !problems.isEmpty {
            let table = ConfigurationKey.readmeTable
            Issue.record(
                "\(problems.joined(separator: "\n"))\nThe table from ConfigurationKey, to paste into the README:\n\(table)"
            )
        }
    }

    @Test(
        "each key is read from its documented environment variable, which swift-configuration derives from the YAML key"
    )
    func environmentNames() {
        for key in ConfigurationKey.allCases {
            // Microsoft's names (`MicrosoftAppId`) are copied to the derived ones when the configuration is loaded.
            let environment = ConfigurationKey.aliasingMicrosoftNames(in: [key.environmentName: "value"])
            let reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
            #expect(
                reader.scoped(to: ConfigKey(key.section.rawValue)).string(forKey: ConfigKey(key.name)) == "value",
                "\(key.environmentName) is not where the environment provider looks for \(key.rawValue)")
            #expect(key.rawValue == key.section.rawValue + "." + key.name)
        }
        #expect(ConfigurationKey.slackSigningSecret.environmentName == "SLACK_SIGNING_SECRET")
        #expect(ConfigurationKey.maxNudgesPerWeek.environmentName == "DEBRIEF_MAX_NUDGES_PER_WEEK")
        #expect(
            ConfigurationKey.teamsAppID.environmentName == "MicrosoftAppId", "the name Azure and Microsoft's SDKs use")
        #expect(ConfigurationKey.configFile.yamlKey == nil, "the file cannot name itself")
    }

    @Test("credentials and keys are the secrets, read as secrets and redacted by the environment provider")
    func secrets() {
        #expect(
            Set(ConfigurationKey.allCases.filter(\.isSecret).map(\.environmentName)) == [
                "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "DEBRIEF_PSEUDONYM_KEY", "DEBRIEF_ADMIN_TOKENS",
                "DEBRIEF_DIGEST_LINK_SECRET", "MicrosoftAppPassword", "DEBRIEF_DATABASE_URL",
            ])
    }

    @Test("a YAML file with a section per key group sets every component, numbers written as YAML numbers too")
    func nestedYAML() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("debrief-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        slack:
          signingSecret: yaml-signing-secret
          botToken: xoxb-yaml
          apiUrl: http://127.0.0.1:9/api
        debrief:
          host: 0.0.0.0
          port: 7070
          databaseUrl: "sqlite::memory:"
          pseudonymKey: yaml-pseudonym-key-0123
          promptsDir: /srv/prompts
          logLevel: warning
          adminUsers: U1, U2
          adminTokens: yaml-admin-token-0123456789
          timezone: Europe/Berlin
          holidays: 2026-12-24,2026-12-25
          slackSendRate: 0.5
          maxNudgesPerWeek: 3
          maxParticipants: 500
          roleGroups: Leader=S01,manager=S02
          teamGroups: Sales=S10
          leadershipChannel: C10@MON 08:30
          teamChannels: Sales=C20@TUE 10:00 America/New_York
          digestTime: WED 14:00
          anonymityThreshold: 7
          quoteThreshold: 12
          noiseEpsilon: 0.5
          publicUrl: https://debrief.example.com/
          digestLinkSecret: yaml-link-secret
          digestLinkDays: 7
          clockStart: 2026-11-20T16:00:00Z
          clockSpeed: 60
        """.write(to: file, atomically: true, encoding: .utf8)
        let configuration = try await DebriefConfiguration.load(environment: ["DEBRIEF_CONFIG": file.path])
        #expect(configuration.slack.credentials?.signingSecret == "yaml-signing-secret")
        #expect(configuration.slack.credentials?.botToken == "xoxb-yaml")
        #expect(configuration.slack.apiURL == "http://127.0.0.1:9/api/")
        #expect(configuration.slack.adminUserIDs == ["U1", "U2"])
        #expect(configuration.slack.sendRatePerSecond == 0.5)
        #expect(configuration.http.host == "0.0.0.0" && configuration.http.port == 7070)
        #expect(configuration.http.adminTokens == ["yaml-admin-token-0123456789"])
        #expect(configuration.database == .sqliteMemory)
        #expect(configuration.promptsDirectory == "/srv/prompts")
        #expect(configuration.logLevel == "warning")
        #expect(configuration.organisationTimeZone.identifier == "Europe/Berlin")
        #expect(configuration.nudges.holidays == ["2026-12-24", "2026-12-25"])
        #expect(configuration.nudges.maximumPerWeek == 3 && configuration.nudges.maximumParticipants == 500)
        #expect(configuration.digests.roleGroups.map(\.role) == ["leader", "manager"])
        #expect(configuration.digests.teamGroups.map(\.group) == ["S10"])
        #expect(configuration.digests.leadershipChannel == "C10")
        #expect(configuration.digests.teamChannels.map(\.channel) == ["C20"])
        #expect(configuration.digests.schedule == DigestSchedule(weekday: 3, hour: 14, minute: 0))
        #expect(configuration.digests.schedules["leadership"] == DigestSchedule(weekday: 1, hour: 8, minute: 30))
        #expect(
            configuration.digests.schedules["team:Sales"]
                == DigestSchedule(weekday: 2, hour: 10, minute: 0, timeZone: TimeZone(identifier: "America/New_York")))
        #expect(configuration.digests.publicURL == "https://debrief.example.com")
        #expect(configuration.digests.linkSecret == "yaml-link-secret")
        #expect(configuration.digests.linkLifetime == 7 * 86_400)
        #expect(configuration.privacy.pseudonymKey == "yaml-pseudonym-key-0123")
        #expect(configuration.privacy.anonymityThreshold == 7 && configuration.privacy.quoteThreshold == 12)
        #expect(configuration.privacy.noiseEpsilon == 0.5)
        #expect(configuration.clockSimulation == .init(start: Date(timeIntervalSince1970: 1_795_190_400), speed: 60))
    }

    @Test("a mistake in the YAML file names the key by its environment name, as the README lists it")
    func yamlMistakes() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("debrief-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try "debrief:\n  port: 0x50\n".write(to: file, atomically: true, encoding: .utf8)
        await #expect(
            throws: ConfigurationError.invalid(
                key: "DEBRIEF_PORT", reason: "must be a port number between 0 and 65535, got '0x50'")
        ) {
            try await DebriefConfiguration.load(environment: ["DEBRIEF_CONFIG": file.path])
        }
    }

    @Test("a quote threshold left unset follows a larger anonymity threshold")
    func quoteThresholdFollowsK() async throws {
        let configuration = try await DebriefConfiguration.load(environment: ["DEBRIEF_ANONYMITY_THRESHOLD": "12"])
        #expect(configuration.privacy.anonymityThreshold == 12 && configuration.privacy.quoteThreshold == 12)
    }
}
