import DebriefServer
import DebriefStorePostgres
import Foundation
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    @Test("no configuration at all gives the documented defaults and Slack off")
    func defaults() async throws {
        let configuration = try await DebriefConfiguration.load(environment: [:])
        #expect(configuration.http.host == "127.0.0.1")
        #expect(configuration.http.port == 8080)
        #expect(configuration.slack.credentials == nil)
        #expect(configuration.slack.apiURL == "https://slack.com/api/")
        #expect(
            configuration.database == .sqliteFile(path: FileManager.default.currentDirectoryPath + "/debrief.sqlite")
                || configuration.database == .defaultValue)
    }

    @Test("environment variables use the documented names")
    func environmentNames() async throws {
        let configuration = try await DebriefConfiguration.load(environment: [
            "SLACK_SIGNING_SECRET": "secret", "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": "http://127.0.0.1:9/api",
            "DEBRIEF_DATABASE_URL": "sqlite:///tmp/x.sqlite", "DEBRIEF_HOST": "0.0.0.0", "DEBRIEF_PORT": "9090",
            "DEBRIEF_PSEUDONYM_KEY": "0123456789abcdef0123", "DEBRIEF_LOG_LEVEL": "DEBUG",
        ])
        #expect(configuration.slack.credentials?.signingSecret == "secret")
        #expect(configuration.slack.credentials?.botToken == "xoxb-1")
        #expect(configuration.slack.apiURL == "http://127.0.0.1:9/api/")
        #expect(configuration.database == .sqliteFile(path: "/tmp/x.sqlite"))
        #expect(configuration.http.host == "0.0.0.0")
        #expect(configuration.http.port == 9090)
        #expect(configuration.privacy.pseudonymKey == "0123456789abcdef0123")
        #expect(configuration.logLevel == "debug")
    }

    @Test("flags win over the environment, which wins over the file")
    func precedence() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("debrief-\(UUID().uuidString).yaml")
        try """
        debrief:
          port: 7070
          host: 10.0.0.1
          databaseUrl: "sqlite::memory:"
        slack:
          signingSecret: from-file
          botToken: xoxb-from-file
        """.write(to: file, atomically: true, encoding: .utf8)
        let configuration = try await DebriefConfiguration.load(
            flags: ["debrief.port": "6060"],
            environment: ["DEBRIEF_CONFIG": file.path, "DEBRIEF_HOST": "127.0.0.2"])
        #expect(configuration.http.port == 6060)
        #expect(configuration.http.host == "127.0.0.2")
        #expect(configuration.database == .sqliteMemory)
        #expect(configuration.slack.credentials?.signingSecret == "from-file")
    }

    @Test("mistakes name the key at fault")
    func mistakes() async {
        await #expect(
            throws: ConfigurationError.missing(
                key: "SLACK_BOT_TOKEN",
                hint: "SLACK_SIGNING_SECRET is set, so the bot token (OAuth & Permissions, xoxb-…) is needed too")
        ) {
            try await DebriefConfiguration.load(environment: ["SLACK_SIGNING_SECRET": "s"])
        }
        await expectKey("DEBRIEF_PORT", in: ["DEBRIEF_PORT": "eighty"])
        await expectKey("DEBRIEF_PORT", in: ["DEBRIEF_PORT": "70000"])
        await expectKey("SLACK_SIGNING_SECRET", in: ["SLACK_BOT_TOKEN": "xoxb-1"])
        await expectKey("SLACK_BOT_TOKEN", in: ["SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "not-a-token"])
        await expectKey("DEBRIEF_DATABASE_URL", in: ["DEBRIEF_DATABASE_URL": "mysql://db/x"])
        await expectKey("DEBRIEF_PSEUDONYM_KEY", in: ["DEBRIEF_PSEUDONYM_KEY": "short"])
        await expectKey("DEBRIEF_LOG_LEVEL", in: ["DEBRIEF_LOG_LEVEL": "loud"])
        await expectKey("SLACK_API_URL", in: ["SLACK_API_URL": "slack.com/api"])
        await #expect(throws: ConfigurationError.self) {
            try await DebriefConfiguration.load(environment: ["DEBRIEF_CONFIG": "/nonexistent/debrief.yaml"])
        }
    }

    func expectKey(_ key: String, in environment: [String: String]) async {
        do {
            _ = try await DebriefConfiguration.load(environment: environment)
            Issue.record("expected an error naming \(key)")
        } catch {
            #expect(error.description.contains(key), "\(error.description)")
        }
    }

    @Test("each digest target can have its own weekday, time and zone; others use DEBRIEF_DIGEST_TIME")
    func digestSchedules() async throws {
        let configuration = try await DebriefConfiguration.load(environment: [
            "DEBRIEF_LEADERSHIP_CHANNEL": "C10@MON 08:30",
            "DEBRIEF_TEAM_CHANNELS": "Sales=C20,Support=C21@tue 10:15 America/New_York",
            "DEBRIEF_DIGEST_TIME": "WED 14:00",
        ])
        #expect(configuration.digests.leadershipChannel == "C10")
        #expect(configuration.digests.teamChannels.map(\.channel) == ["C20", "C21"])
        #expect(configuration.digests.schedule == DigestSchedule(weekday: 3, hour: 14, minute: 0))
        #expect(configuration.digests.schedules["leadership"] == DigestSchedule(weekday: 1, hour: 8, minute: 30))
        #expect(
            configuration.digests.schedules["team:Support"]
                == DigestSchedule(weekday: 2, hour: 10, minute: 15, timeZone: TimeZone(identifier: "America/New_York")))
        #expect(configuration.digests.schedules["team:Sales"] == nil)
        await expectKey("DEBRIEF_TEAM_CHANNELS", in: ["DEBRIEF_TEAM_CHANNELS": "Sales=C20@someday"])
        await expectKey("DEBRIEF_TEAM_CHANNELS", in: ["DEBRIEF_TEAM_CHANNELS": "Sales=C20@MON 09:00 Mars/Olympus"])
        await expectKey("DEBRIEF_LEADERSHIP_CHANNEL", in: ["DEBRIEF_LEADERSHIP_CHANNEL": "C10@MON 25:00"])
        await expectKey("DEBRIEF_DIGEST_TIME", in: ["DEBRIEF_DIGEST_TIME": "monday"])
    }

    @Test("privacy settings and the digest link lifetime are configurable, within safe bounds")
    func privacySettings() async throws {
        let configuration = try await DebriefConfiguration.load(environment: [
            "DEBRIEF_ANONYMITY_THRESHOLD": "7", "DEBRIEF_QUOTE_THRESHOLD": "12", "DEBRIEF_NOISE_EPSILON": "0.5",
            "DEBRIEF_DIGEST_LINK_DAYS": "7",
        ])
        #expect(configuration.privacy.anonymityThreshold == 7 && configuration.privacy.quoteThreshold == 12)
        #expect(configuration.privacy.noiseEpsilon == 0.5)
        #expect(configuration.digests.linkLifetime == 7 * 86_400)
        #expect(try await DebriefConfiguration.load(environment: [:]).digests.linkLifetime == 30 * 86_400)
        await expectKey("DEBRIEF_ANONYMITY_THRESHOLD", in: ["DEBRIEF_ANONYMITY_THRESHOLD": "2"])
        await expectKey(
            "DEBRIEF_QUOTE_THRESHOLD", in: ["DEBRIEF_ANONYMITY_THRESHOLD": "8", "DEBRIEF_QUOTE_THRESHOLD": "6"])
        await expectKey("DEBRIEF_NOISE_EPSILON", in: ["DEBRIEF_NOISE_EPSILON": "-1"])
        await expectKey("DEBRIEF_DIGEST_LINK_DAYS", in: ["DEBRIEF_DIGEST_LINK_DAYS": "0"])
        await expectKey("DEBRIEF_DIGEST_LINK_DAYS", in: ["DEBRIEF_DIGEST_LINK_DAYS": "a month"])
    }

    @Test(
        "dates, times, zones and numbers an operator types are read strictly; mistakes name the key and the form",
        arguments: [
            ("DEBRIEF_CLOCK_START", "2026-02-30T10:00:00Z", "February 2026 has 28 days, so 2026-02-30 does not exist"),
            ("DEBRIEF_CLOCK_START", "2026-11-20T16:00:00+25:00", "the offset `+25:00` is beyond ±14:00"),
            ("DEBRIEF_CLOCK_START", "2026-11-20T16:00:00+01:60", "the offset `+01:60` has minutes beyond 59"),
            ("DEBRIEF_CLOCK_START", "2026-11-20T16:00:00ZZ", "`Z` at the end does not belong to it"),
            ("DEBRIEF_CLOCK_START", "2026-11-20T16:00:00", "it needs Z or an offset such as +01:00 at the end"),
            ("DEBRIEF_HOLIDAYS", "2026-12-24,2026-02-30", "February 2026 has 28 days, so 2026-02-30 does not exist"),
            ("DEBRIEF_HOLIDAYS", "2026-12-24T00:00", "`T00:00` at the end does not belong to it"),
            ("DEBRIEF_HOLIDAYS", "+202-12-24", "must be a date like 2026-11-20 (YYYY-MM-DD)"),
            ("DEBRIEF_TIMEZONE", "Europe/Berln", "`Europe/Berln` is not a time zone this server knows"),
            ("DEBRIEF_TIMEZONE", "UTC+01:00", "must be an IANA time zone such as Europe/Berlin"),
            ("DEBRIEF_DIGEST_TIME", "MON 24:00", "hours go from 00 to 23, not 24"),
            ("DEBRIEF_DIGEST_TIME", "MON +9:00", "must be a weekday and time like MON 09:00"),
            ("DEBRIEF_DIGEST_TIME", "MON 09:60", "minutes go from 00 to 59, not 60"),
            ("DEBRIEF_DIGEST_TIME", "MON 09:00 UTC+01:00", "is not a time zone this server knows"),
            ("DEBRIEF_DIGEST_TIME", "FRIDAY 09:00", "`FRIDAY` is not a weekday"),
            ("DEBRIEF_TEAM_CHANNELS", "Sales=C20@TUE 10:00 America/New_Yrok", "is not a time zone this server knows"),
            ("DEBRIEF_LEADERSHIP_CHANNEL", "C10@MON 9:5", "`9:5` is not written that way"),
            ("DEBRIEF_NOISE_EPSILON", "1e300", "from 0.01 to 100"),
            ("DEBRIEF_NOISE_EPSILON", "nan", "from 0.01 to 100"),
            ("DEBRIEF_CLOCK_SPEED", "1e300", "from 0.001 to 100000"),
            ("DEBRIEF_CLOCK_SPEED", "inf", "from 0.001 to 100000"),
            ("DEBRIEF_SLACK_SEND_RATE", "1e-300", "from 0.001 to 1000"),
            ("DEBRIEF_PORT", "+80", "port number"),
            ("DEBRIEF_PORT", "9223372036854775808", "port number"),
            ("DEBRIEF_MAX_NUDGES_PER_WEEK", "-9223372036854775808", "from 1 to 7"),
            ("DEBRIEF_ANONYMITY_THRESHOLD", "99999999999999999999", "at least 3"),
            ("DEBRIEF_DIGEST_LINK_DAYS", "9223372036854775807", "from 1 to 365"),
            ("DEBRIEF_JOB_LEASE", "9", "from 10 to 3600"),
            ("DEBRIEF_JOB_LEASE", "1.5", "whole number of seconds"),
        ])
    func strictValues(key: String, value: String, phrase: String) async {
        do {
            _ = try await DebriefConfiguration.load(environment: [key: value])
            Issue.record("\(key)=\(value) was accepted")
        } catch {
            #expect(error.description.hasPrefix("configuration: \(key) "), "\(error.description)")
            #expect(error.description.contains(phrase), "\(error.description)")
        }
    }

    @Test("valid dates, zones and schedules still load, with leap days and offsets")
    func strictValuesAccepted() async throws {
        let configuration = try await DebriefConfiguration.load(environment: [
            "DEBRIEF_CLOCK_START": "2028-02-29T10:00:00.5+01:00", "DEBRIEF_HOLIDAYS": "2028-02-29, 2026-12-24",
            "DEBRIEF_TIMEZONE": "America/New_York", "DEBRIEF_DIGEST_TIME": "fri 16:30 Asia/Kolkata",
            "DEBRIEF_NOISE_EPSILON": "100", "DEBRIEF_CLOCK_SPEED": "100000",
        ])
        #expect(configuration.clockSimulation?.start == Date(timeIntervalSince1970: 1_835_427_600.5))
        #expect(configuration.nudges.holidays == ["2028-02-29", "2026-12-24"])
        #expect(configuration.organisationTimeZone.identifier == "America/New_York")
        #expect(
            configuration.digests.schedule
                == DigestSchedule(weekday: 5, hour: 16, minute: 30, timeZone: TimeZone(identifier: "Asia/Kolkata")))
    }

    @Test(
        "database URLs",
        arguments: [
            ("sqlite:///var/lib/debrief.sqlite", DatabaseURL.sqliteFile(path: "/var/lib/debrief.sqlite")),
            ("sqlite::memory:", .sqliteMemory),
            ("data/debrief.sqlite", .sqliteFile(path: "/work/data/debrief.sqlite")),
            ("sqlite://rel.sqlite", .sqliteFile(path: "/work/rel.sqlite")),
        ])
    func databaseURLs(raw: String, expected: DatabaseURL) throws {
        #expect(try DatabaseURL(parsing: raw, workingDirectory: "/work") == expected)
    }

    @Test("PostgreSQL URLs: user, escaped password, host, port, database and sslmode as libpq reads them")
    func postgresURLs() throws {
        let url = try DatabaseURL(
            parsing: "postgresql://debrief:p%40ss%2Fw0rd:x@db.internal:6432/debrief_prod?sslmode=verify-full"
                + "&connect_timeout=3&application_name=debrief-1")
        guard case .postgres(let settings) = url else {
            Issue.record("not a PostgreSQL URL: \(url)")
            return
        }
        #expect(settings.username == "debrief")
        #expect(settings.password == "p@ss/w0rd:x")
        #expect(settings.host == "db.internal")
        #expect(settings.port == 6432)
        #expect(settings.database == "debrief_prod")
        #expect(settings.sslMode == .verifyFull)
        #expect(settings.connectTimeout == .seconds(3))
        #expect(settings.applicationName == "debrief-1")
        // Defaults: port 5432, sslmode prefer (libpq's), an IPv6 host in brackets, an unescaped @ in the password.
        guard case .postgres(let plain) = try DatabaseURL(parsing: "postgres://u:a@b@[::1]/db") else {
            Issue.record("not a PostgreSQL URL")
            return
        }
        #expect(plain.host == "::1" && plain.port == 5432 && plain.sslMode == .prefer && plain.password == "a@b")
    }

    @Test(
        "a wrong PostgreSQL URL stops the start naming the part at fault, never echoing the password",
        arguments: [
            ("postgres://u:hunter2secret@h:99999/db", "port"),
            ("postgres://u:hunter2secret@h/db?sslmode=strict", "sslmode=strict is not one of"),
            ("postgres://u:hunter2secret@h/db?sslmod=require", "sslmod is not supported"),
            ("postgres://u:hunter2secret@h", "names no database"),
            ("postgres://u:hunter2secret@/db", "names no host"),
            ("postgres://u:hunter2secret@h/db?connect_timeout=0", "connect_timeout"),
            // Found by the fuzzer: a parameter made only of `=` trapped instead of being refused.
            ("postgres://u:hunter2secret@h/db?=======", "is not supported"),
            ("postgres://u:hunter2secret@h/db?=", "is not supported"),
        ])
    func postgresURLErrors(raw: String, phrase: String) {
        #expect {
            try DatabaseURL(parsing: raw)
        } throws: { error in
            let text = "\(error)"
            return text.contains("DEBRIEF_DATABASE_URL") && text.contains(phrase) && !text.contains("hunter2secret")
        }
    }

    @Test("the PostgreSQL password never appears in descriptions")
    func redaction() throws {
        let url = try DatabaseURL(parsing: "postgres://u:secret@h/db")
        #expect(!url.description.contains("secret"))
        #expect(url.description == "postgres://u@h:5432/db?sslmode=prefer")
        // A database name that repeats the credentials (found by the fuzzer) is printed escaped.
        let repeated = try DatabaseURL(parsing: "postgres://ue:rss0c2et@;db.exam/ue:rss0c2et@;db.exple/dubrief")
        #expect(!repeated.description.contains("ue:rss0c2et@"))
    }
}

@Suite("Simulated clock")
struct SimulatedClockTests {
    @Test("DEBRIEF_CLOCK_START and DEBRIEF_CLOCK_SPEED configure a faster clock starting at that instant")
    func configured() async throws {
        let configuration = try await DebriefConfiguration.load(environment: [
            "DEBRIEF_CLOCK_START": "2026-11-20T16:00:00Z", "DEBRIEF_CLOCK_SPEED": "3600",
        ])
        let simulation = try #require(configuration.clockSimulation)
        #expect(simulation.start == Date(timeIntervalSince1970: 1_795_190_400))
        #expect(simulation.speed == 3600)
        let realStart = Date().addingTimeInterval(-2)  // two real seconds ago
        let clock = DebriefClock(simulation: simulation, realStart: realStart)
        let elapsed = clock.now().timeIntervalSince(simulation.start)
        #expect(elapsed >= 7200 && elapsed < 7200 + 3600, "two real seconds are two simulated hours")
    }

    @Test("DEBRIEF_JOB_LEASE sets the job lease in real seconds; five minutes when unset")
    func jobLease() async throws {
        #expect(try await DebriefConfiguration.load(environment: [:]).jobLeaseSeconds == 300)
        #expect(try await DebriefConfiguration.load(environment: ["DEBRIEF_JOB_LEASE": "20"]).jobLeaseSeconds == 20)
    }

    @Test("off by default, and bad values name the key")
    func defaultsAndErrors() async {
        #expect((try? await DebriefConfiguration.load(environment: [:]))?.clockSimulation == nil)
        for (key, value) in [
            ("DEBRIEF_CLOCK_START", "next tuesday"), ("DEBRIEF_CLOCK_SPEED", "0"), ("DEBRIEF_CLOCK_SPEED", "fast"),
        ] {
            do {
                _ = try await DebriefConfiguration.load(environment: [key: value])
                Issue.record("expected an error for \(key)=\(value)")
            } catch {
                #expect(error.description.contains(key))
            }
        }
    }
}
