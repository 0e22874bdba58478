import ArgumentParser
import DebriefCore
import DebriefServer
import DebriefStore
import DebriefStoreSQLite
import Foundation

/// `debrief bench digest`: the weekly digests of a large organisation computed from a year of history.
///
/// Fills a temporary SQLite database through the store's public methods (timed separately as setup), then
/// times computing the leadership digest and every team digest of the last week, three ways:
/// 1. **as the posting job does, per target**: each digest asks the store for its aggregates (13 weeks of
///    cells, cohorts, quote candidates) and builds its document, with a directory of every person's name
///    for quote scrubbing — the server's `DigestService` path, rebuilt from public API;
/// 2. **shared**: the store is asked once and all documents are built together
///    (`DigestBuilder.build(_ inputs:)`), what a batch entry point in the server could do;
/// 3. **`DigestPreview.render` per target**: the server's only public digest entry point, end to end with
///    text rendering, but it opens its own store and loads the templates on every call.
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

    func validate() throws {
        guard (100...1_000_000).contains(people) else { throw ValidationError("--people must be between 100 and 1000000") }
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
        let store = try SQLiteStore(location: .file(path: path))
        try await store.migrate()
        let data = BenchDigestData(people: people, weeks: weeks, teams: teams, seed: seed, lastWeek: lastWeek)
        var persons = data.makePeople()
        try await data.fillPeopleAndTrainings(store, people: &persons)
        let peopleDone = clock.now
        let reflections = try await data.fillReflections(store, people: persons)
        let setup = clock.now - setupStarted
        let fileSize = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        print("debrief bench digest: \(people) people, \(teams) teams, \(weeks) weeks up to \(lastWeek)")
        print(
            "setup: \(reflections) reflections (\(Self.format(Double(reflections) / Double(weeks), 0)) a week) and "
                + "\(max(1, weeks / 2)) trainings in \(Self.seconds(setup)) s "
                + "(people, roles, trainings \(Self.seconds(peopleDone - setupStarted)) s; "
                + "\(Self.format(Double(reflections) / max(0.001, Self.secondsValue(clock.now - peopleDone)), 0)) reflections/s); "
                + "database \(fileSize / 1_048_576) MiB")
        let setupPeak = BenchMemory.peakKiB()
        print("peak memory after setup (VmHWM): \(BenchMemory.describe(setupPeak))")

        // The digest phase
        let settings = PrivacySettings(k: 5, kQuotes: 10, noiseEpsilon: nil)
        let assembler = BenchDigestInput(store: store, settings: settings)
        let teamNames = Set(persons.map(\.team)).sorted { ($0.count, $0) < ($1.count, $1) }
        let audiences: [DigestAudience] = [.leadership] + teamNames.map { DigestAudience.team($0) }
        let names = BenchDigestNames.directory(count: people, seed: seed)
        let leaderNames = Dictionary(
            persons.filter { $0.role == .leader }.map { ($0.userID, "Leader \($0.userID)") }, uniquingKeysWith: { a, _ in a })
        let randomSeed = SeededGenerator.derived(from: seed, label: "digest").state
        var measurements = BenchDigestMeasurements(repeats: repeats)

        // 1. Per target, as the posting job: store queries and a document for each target in turn.
        var documents: [DigestDocument] = []
        try await measurements.measure("per target") { sample in
            documents = []
            for audience in audiences {
                let sources = try await assembler.sources(week: lastWeek, now: Self.now)
                sample.add("store", sources.timings.reduce(.zero, +))
                let buildStarted = ContinuousClock.now
                let input = assembler.input(
                    audience: audience, week: lastWeek, sources: sources, leaderNames: leaderNames,
                    directoryNames: names)
                var random = SeededGenerator.derived(from: randomSeed, label: "\(audience)|\(lastWeek)")
                documents.append(DigestBuilder.build(input, random: &random))
                sample.add("build", ContinuousClock.now - buildStarted)
            }
        }

        // 2. Shared: the store once, all documents in one batch; and the batch without a name directory.
        for (label, directory) in [("shared", names), ("shared, no directory", [String]())] {
            try await measurements.measure(label) { sample in
                let sources = try await assembler.sources(week: lastWeek, now: Self.now)
                sample.add("weeklyCells", sources.timings[0])
                sample.add("cohortStats", sources.timings[1])
                sample.add("quoteCandidates", sources.timings[2])
                let buildStarted = ContinuousClock.now
                let inputs = audiences.map {
                    assembler.input(
                        audience: $0, week: lastWeek, sources: sources, leaderNames: leaderNames,
                        directoryNames: directory)
                }
                var random = SeededGenerator(seed: randomSeed)
                let built = DigestBuilder.build(inputs, random: &random)
                sample.add("build", ContinuousClock.now - buildStarted)
                if built.count != audiences.count { throw ValidationError("built \(built.count) documents") }
            }
        }

        // 3. The server's public entry point, per target.
        var configuration = DebriefConfiguration(database: .sqliteFile(path: path), pseudonymKey: "bench-digest-key-0123456789")
        configuration.anonymityThreshold = 5
        configuration.quoteThreshold = 10
        var previewText = ""
        try await measurements.measure("DigestPreview.render") { _ in
            for audience in audiences {
                let target: String
                switch audience {
                case .leadership: target = "leadership"
                case .team(let team): target = "team:\(team)"
                }
                let text = try await DigestPreview.render(
                    configuration: configuration, target: target, week: lastWeek.description, now: Self.now)
                if audience == .leadership { previewText = text }
            }
        }

        // Report
        let quiet = documents.filter(\.isQuiet).count
        print("")
        print("digests for \(lastWeek): 1 leadership + \(teamNames.count) team digests (\(quiet) quiet: too few answers to show)")
        print("wall time for all \(audiences.count) digests         first run  best run  target < 1 s   peak memory (VmHWM) in the run")
        let rows: [(String, String, [String])] = [
            ("1. per target, as the posting job", "per target", ["store", "build"]),
            ("2. shared store queries, one batch", "shared", ["weeklyCells", "cohortStats", "quoteCandidates", "build"]),
            ("   same, no name directory", "shared, no directory", ["build"]),
            ("3. DigestPreview.render per target", "DigestPreview.render", []),
        ]
        for (label, key, parts) in rows {
            guard let result = measurements.results[key] else { continue }
            let best = result.runs.min() ?? .zero
            let met = Self.secondsValue(best) < 1
            var line = label.padding(toLength: 38, withPad: " ", startingAt: 0)
            line += "\(Self.millis(result.runs.first ?? .zero)) ms".leftPadded(11)
            line += "\(Self.millis(best)) ms".leftPadded(10)
            line += met ? "  met     " : "  MISSED  "
            line += "     " + BenchMemory.describe(result.peakKiB)
            if result.runs.count < repeats { line += "  (1 run: too slow to repeat)" }
            print(line)
            for part in parts {
                let times = result.parts[part] ?? []
                guard let first = times.first else { continue }
                var partLine = "      \(part)".padding(toLength: 38, withPad: " ", startingAt: 0)
                partLine += "\(Self.millis(first)) ms".leftPadded(11)
                partLine += "\(Self.millis(times.min() ?? first)) ms".leftPadded(10)
                print(partLine)
            }
        }
        print(
            "   (3 opens the store, checks migrations and loads templates for every target, and renders the text;"
                + " it passes no name directory)")
        let overall = BenchMemory.peakKiB()
        let wholePeak = max(overall ?? 0, setupPeak ?? 0, measurements.maximumPeak)
        let resetNote = measurements.resetWorks ? "" : "  (the kernel did not allow resetting VmHWM per phase)"
        print("peak memory of the whole process (VmHWM): \(BenchMemory.describe(wholePeak))\(resetNote)")
        if keep { print("database: \(path)") }
        print("")
        print("leadership digest as previewed (first lines):")
        for text in previewText.split(separator: "\n", omittingEmptySubsequences: false).prefix(6) { print("  \(text)") }
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
        let first = ["Aino", "Bartek", "Chiara", "Dmitri", "Elif", "Folasade", "Gunnar", "Hiroko", "Ilkay", "Jovan",
            "Kalani", "Leandro", "Mireille", "Nnamdi", "Oksana", "Priya", "Quentin", "Rasmus", "Saoirse", "Tariq"]
        let last = ["Lindqvist", "Okafor", "Varga", "Haddad", "Nakamura", "Kowalczyk", "Brennan", "Achterberg",
            "Mwangi", "Castellanos", "Ivanova", "Rautio", "Szabo", "Oyelaran", "Bergstrom", "Delacroix", "Fonseca",
            "Gruenewald", "Halvorsen", "Ishikawa"]
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
    mutating func measure(_ name: String, _ body: (inout Sample) async throws -> Void) async throws {
        var result = Result()
        resetWorks = BenchMemory.resetPeak() && resetWorks
        let clock = ContinuousClock()
        for _ in 0..<repeats {
            var sample = Sample()
            let started = clock.now
            try await body(&sample)
            let elapsed = clock.now - started
            result.runs.append(elapsed)
            for (part, duration) in sample.parts { result.parts[part, default: []].append(duration) }
            if elapsed > .seconds(5) { break }
        }
        result.peakKiB = BenchMemory.peakKiB()
        maximumPeak = max(maximumPeak, result.peakKiB ?? 0)
        results[name] = result
    }
}

/// The process's peak resident memory from `/proc/self/status`.
enum BenchMemory {
    static func peakKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
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
