import ArgumentParser
import DebriefCore
import DebriefPlatform
import DebriefServer
import DebriefStore
import DebriefStoreSQLite
import Foundation

/// `debrief bench digest`: the weekly digests of a large organisation computed from a year of history.
///
/// Fills a temporary SQLite database through the store's public methods (timed separately as setup), then
/// times the server's own computation (`DigestComputation`) of the leadership digest and every team digest
/// of the last week — what the first posting job of a week runs — with a directory of every person's name
/// for quote scrubbing (the week before it as the first job after a server restart, when no release of the
/// trend window is decoded yet); and, for comparison, one team's digest alone (a privacy receipt or preview) and the
/// batch without a directory.
/// Peak memory is the process's VmHWM: for the whole run, and for the digest phase alone (reset via
/// `/proc/self/clear_refs` before it, where the kernel allows).
struct BenchDigest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Time one week's leadership digest and all team digests over a year of history in SQLite.")

    @Option(help: "People in the organisation.")
    var people = 10_000

    @Option(help: "Weeks of history; the digests are for the last one.")
    var weeks = 52

    @Option(help: "Teams (sizes follow a long-tailed distribution; some fall below the anonymity threshold).")
    var teams = 50

    @Option(help: "Seed for the synthetic data.")
    var seed: UInt64 = 7

    @Option(help: "Timed repetitions of each measurement (the first is reported separately as cold).")
    var repeats = 3

    @Flag(help: "Keep the temporary database and print its path.")
    var keep = false

    @Option(
        help: ArgumentHelp(
            "A filled database to reuse, to skip setup while iterating: when PATH exists, a copy of it is timed "
                + "(PATH itself stays as filled, without releases); otherwise setup fills the database as usual "
                + "and saves a copy at PATH first. PATH must come from the same --people, --weeks, --teams "
                + "and --seed.",
            valueName: "path"))
    var database: String?

    func validate() throws {
        guard (100...1_000_000).contains(people) else {
            throw ValidationError("--people must be between 100 and 1000000")
        }
        guard (5...260).contains(weeks) else { throw ValidationError("--weeks must be between 5 and 260") }
        guard (1...1000).contains(teams) else { throw ValidationError("--teams must be between 1 and 1000") }
        guard (1...20).contains(repeats) else { throw ValidationError("--repeats must be between 1 and 20") }
    }

    /// The digests are for ISO week 2026-W47 and computed on Monday 23 November 2026, 09:00 UTC.
    static let lastWeek = WeekKey("2026-W47")
    static let now = Date(timeIntervalSince1970: 1_795_424_400)

    func run() async throws {
        guard let lastWeek = Self.lastWeek else { throw ValidationError("bad week") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "debrief-bench-digest-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
        let path = directory.appendingPathComponent("bench.sqlite").path

        // Setup
        let clock = ContinuousClock()
        let setupStarted = clock.now
        let reused = try database.map { try Self.copyDatabase(from: $0, to: path) } ?? false
        let store = try SQLiteStore(location: .file(path: path))
        try await store.migrate()
        let data = BenchDigestData(people: people, weeks: weeks, teams: teams, seed: seed, lastWeek: lastWeek)
        var persons = data.makePeople()
        var peopleDone = clock.now
        var reflections = 0
        if reused {
            reflections = try await store.count(table: .reflections)
        } else {
            try await data.fillPeopleAndTrainings(store, people: &persons)
            peopleDone = clock.now
            reflections = try await data.fillReflections(store, people: persons)
        }
        let setup = clock.now - setupStarted
        let fileSize = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        print("debrief bench digest: \(people) people, \(teams) teams, \(weeks) weeks up to \(lastWeek)")
        if reused, let database {
            print("setup: \(reflections) reflections copied from \(database) in \(Self.seconds(setup)) s")
        } else {
            print(
                "setup: \(reflections) reflections (\(Self.format(Double(reflections) / Double(weeks), 0)) a week) and "
                    + "\(max(1, weeks / 2)) trainings in \(Self.seconds(setup)) s "
                    + "(people, roles, trainings \(Self.seconds(peopleDone - setupStarted)) s; "
                    + "\(Self.format(Double(reflections) / max(0.001, Self.secondsValue(clock.now - peopleDone)), 0)) reflections/s); "
                    + "database \(fileSize / 1_048_576) MiB")
            if let database {
                _ = try Self.copyDatabase(from: path, to: database)
                print("setup: database saved at \(database) for --database")
            }
        }
        let setupPeak = BenchMemory.peakKiB()
        print("peak memory after setup (VmHWM): \(BenchMemory.describe(setupPeak))")

        // The digest phase: exactly the server's computation (`DigestComputation`, what the first posting job
        // of a week runs for every target), with a directory of every person's name for quote scrubbing.
        let settings = PrivacySettings(k: 5, kQuotes: 10, noiseEpsilon: nil)
        let teamNames = Set(persons.map(\.team)).sorted { ($0.count, $0) < ($1.count, $1) }
        let audiences: [DigestAudience] = [.leadership] + teamNames.map { DigestAudience.team($0) }
        let leaderNames = Dictionary(
            persons.filter { $0.role == .leader }.map { ($0.userID, "Leader \($0.userID)") },
            uniquingKeysWith: { a, _ in a })
        let names = DirectoryNames(
            displayNames: leaderNames, directory: BenchDigestNames.directory(count: people, seed: seed))
        let computation = DigestComputation(
            store: store, settings: settings, seed: SeededGenerator.derived(from: seed, label: "digest").state)
        var measurements = BenchDigestMeasurements(repeats: repeats)

        // A new installation's first job audits and stores a release for every earlier week, once. Run it two
        // weeks before, so that the two weeks after it measure what every later week costs: one new week's
        // release, then the repeats with it stored. The week before the last is computed as the first job after
        // a restart (no release decoded yet in the process), the last week as a running server's weekly job.
        let historyWeek = lastWeek.adding(weeks: -2)
        let previousWeek = lastWeek.adding(weeks: -1)
        /// All digests of the week `weeksBefore` the last one, computed on the Monday after it, with the time of
        /// each step added to `sample`.
        func allDigests(weeksBefore: Int, into sample: inout BenchDigestMeasurements.Sample) async throws
            -> [DigestDocument]
        {
            var timings = DigestComputation.Timings()
            let documents = try await computation.documents(
                for: audiences, week: lastWeek.adding(weeks: -weeksBefore), names: names,
                now: Self.now.addingTimeInterval(-Double(weeksBefore) * 7 * 86_400), timings: &timings)
            sample.add("store queries", timings.store)
            sample.add("release (audit; first run: every week)", timings.release)
            sample.add("build (privacy, noise, quotes)", timings.build)
            return documents
        }
        try await measurements.measure("history", repeats: 1) { sample in
            _ = try await allDigests(weeksBefore: 2, into: &sample)
        }
        DigestComputation.forgetDecodedReleases()
        try await measurements.measure("restart", repeats: 1) { sample in
            _ = try await allDigests(weeksBefore: 1, into: &sample)
        }
        var documents: [DigestDocument] = []
        try await measurements.measure("all") { sample in
            documents = try await allDigests(weeksBefore: 0, into: &sample)
        }
        try await measurements.measure("one team") { _ in
            _ = try await computation.documents(
                for: [audiences[audiences.count / 2]], week: lastWeek, names: names, now: Self.now)
        }
        try await measurements.measure("no directory") { _ in
            _ = try await computation.documents(for: audiences, week: lastWeek, names: nil, now: Self.now)
        }

        // Report
        let quiet = documents.filter(\.isQuiet).count
        let withQuotes = documents.filter { $0.quotes != nil }.count
        print("")
        print(
            "digests for \(lastWeek): 1 leadership + \(teamNames.count) team digests (\(quiet) quiet: too few answers "
                + "to show; \(withQuotes) with quotes)")
        print(
            "wall time                                first run  best run  target < 1 s   peak memory (VmHWM) in the phase"
        )
        let phases = ["store queries", "release (audit; first run: every week)", "build (privacy, noise, quotes)"]
        let rows: [(String, String, [String])] = [
            ("first job of an installation (\(historyWeek))", "history", phases),
            ("all, after a restart (\(previousWeek))", "restart", phases),
            ("all \(audiences.count) digests of the week", "all", phases),
            ("one team digest (receipt, preview)", "one team", []),
            ("all, no directory (free text left out)", "no directory", []),
        ]
        for (label, key, parts) in rows {
            guard let result = measurements.results[key] else { continue }
            let best = result.runs.min() ?? .zero
            // The week's digests are computed once a week: its first run is what the target is about.
            let met = Self.secondsValue(key == "all" || key == "restart" ? result.runs.first ?? best : best) < 1
            var line = label.padding(toLength: 40, withPad: " ", startingAt: 0)
            line += "\(Self.millis(result.runs.first ?? .zero)) ms".leftPadded(11)
            line += "\(Self.millis(best)) ms".leftPadded(10)
            line += key == "history" ? "  (once)  " : met ? "  met     " : "  MISSED  "
            line +=
                "     " + BenchMemory.describe(result.peakKiB)
                + " (RSS after: \(BenchMemory.describe(result.residentKiB)))"
            if result.runs.count < repeats, key != "history", key != "restart" {
                line += "  (1 run: too slow to repeat)"
            }
            print(line)
            for part in parts {
                let times = result.parts[part] ?? []
                guard let first = times.first else { continue }
                var partLine = "      \(part)".padding(toLength: 40, withPad: " ", startingAt: 0)
                partLine += "\(Self.millis(first)) ms".leftPadded(11)
                partLine += "\(Self.millis(times.min() ?? first)) ms".leftPadded(10)
                print(partLine)
            }
        }
        print(
            "target: a week's digests are computed once, by the week's first job, so \"all\" and \"after a restart\" "
                + "are judged by their first run (one new week audited); the best run has that week's release stored")
        let overall = BenchMemory.peakKiB()
        let wholePeak = max(overall ?? 0, setupPeak ?? 0, measurements.maximumPeak)
        let resetNote = measurements.resetWorks ? "" : "  (the kernel did not allow resetting VmHWM per phase)"
        print("peak memory of the whole process (VmHWM): \(BenchMemory.describe(wholePeak))\(resetNote)")
        if keep { print("database: \(path)") }
        if let leadership = documents.first, let participation = leadership.participation {
            print(
                "leadership digest: \(participation.respondents.label) people reflected; sections: "
                    + leadership.sectionOrder.map(\.rawValue).joined(separator: ", "))
        }
    }

    /// Copies an SQLite database with its write-ahead log (committed pages may still be only there; no
    /// write is in flight while the bench copies). False when `source` does not exist.
    static func copyDatabase(from source: String, to destination: String) throws -> Bool {
        let files = FileManager.default
        guard files.fileExists(atPath: source) else { return false }
        for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: destination + suffix) {
            try files.removeItem(atPath: destination + suffix)
        }
        for suffix in ["", "-wal"] where files.fileExists(atPath: source + suffix) {
            try files.copyItem(atPath: source + suffix, toPath: destination + suffix)
        }
        return true
    }

    static func secondsValue(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func seconds(_ duration: Duration) -> String { format(secondsValue(duration), 1) }

    static func millis(_ duration: Duration) -> String { format(secondsValue(duration) * 1000, 0) }

    static func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// Synthetic directory names (for quote scrubbing), one per person.
enum BenchDigestNames {
    static func directory(count: Int, seed: UInt64) -> [String] {
        let first = [
            "Aino", "Bartek", "Chiara", "Dmitri", "Elif", "Folasade", "Gunnar", "Hiroko", "Ilkay", "Jovan",
            "Kalani", "Leandro", "Mireille", "Nnamdi", "Oksana", "Priya", "Quentin", "Rasmus", "Saoirse", "Tariq",
        ]
        let last = [
            "Lindqvist", "Okafor", "Varga", "Haddad", "Nakamura", "Kowalczyk", "Brennan", "Achterberg",
            "Mwangi", "Castellanos", "Ivanova", "Rautio", "Szabo", "Oyelaran", "Bergstrom", "Delacroix", "Fonseca",
            "Gruenewald", "Halvorsen", "Ishikawa",
        ]
        var random = SeededGenerator.derived(from: seed, label: "names")
        return (0..<count).map { index in
            "\(first[Int.random(in: 0..<first.count, using: &random)]) \(last[index % last.count])"
        }
    }
}

/// Repeated timings of the digest-phase variants, with sub-timings and each variant's memory peak.
struct BenchDigestMeasurements {
    struct Result {
        var runs: [Duration] = []
        var parts: [String: [Duration]] = [:]
        var peakKiB: Int?
        var residentKiB: Int?
    }

    /// Sub-timings of one run.
    struct Sample {
        var parts: [String: Duration] = [:]
        mutating func add(_ name: String, _ duration: Duration) { parts[name, default: .zero] += duration }
    }

    let repeats: Int
    var results: [String: Result] = [:]
    var resetWorks = true
    var maximumPeak = 0

    /// Runs `body` up to `repeats` times (once when a run takes over 5 s), resetting VmHWM first.
    mutating func measure(
        _ name: String, repeats times: Int? = nil, _ body: (inout Sample) async throws -> Void
    ) async throws {
        print("measuring: \(name) …")
        var result = Result()
        resetWorks = BenchMemory.resetPeak() && resetWorks
        let clock = ContinuousClock()
        for _ in 0..<(times ?? repeats) {
            var sample = Sample()
            let started = clock.now
            try await body(&sample)
            let elapsed = clock.now - started
            result.runs.append(elapsed)
            for (part, duration) in sample.parts { result.parts[part, default: []].append(duration) }
            if elapsed > .seconds(5) { break }
        }
        result.peakKiB = BenchMemory.peakKiB()
        result.residentKiB = BenchMemory.value("VmRSS:")
        maximumPeak = max(maximumPeak, result.peakKiB ?? 0)
        results[name] = result
    }
}

/// The process's peak resident memory from `/proc/self/status`.
enum BenchMemory {
    static func peakKiB() -> Int? { value("VmHWM:") }

    /// A `/proc/self/status` value in KiB (`VmHWM:`, `VmRSS:`).
    static func value(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// Resets VmHWM to the current RSS (Linux ≥ 4.0: write 5 to clear_refs). False when not allowed.
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    static func describe(_ kib: Int?) -> String {
        guard let kib else { return "unknown" }
        return "\(kib / 1024) MiB"
    }
}
