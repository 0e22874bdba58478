import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefStore
import Foundation
import Synchronization

/// Computes one week's digest documents for several audiences from the store: the server's whole digest
/// computation, `package` so `debrief-bench digest` measures exactly what the posting job runs.
///
/// **Releases.** Every number a week's digests show comes from that week's `WeekRelease`, made once by the
/// core's auditor and stored (`ReleaseStore`). Trends read earlier weeks' stored releases; they are never
/// recomputed with today's teams. A week inside the trend window that was never released and has no
/// digest row is released on the way (the first and only time its numbers are published); a week that
/// already has digests from before releases existed is left out of trends rather than published a second time.
///
/// The store is read once (SQL aggregates, never individual reflections' numbers) and all documents are
/// built in one `DigestBuilder.build(_:seed:)` batch with the installation's digest seed.
package struct DigestComputation: Sendable {
    let assembler: DigestInputAssembler
    let store: any DebriefDataStore
    let settings: PrivacySettings
    let seed: UInt64
    /// The rotating questions and themes; empty: no expectation gap or themes.
    let questions: QuestionLibrary

    package init(
        store: any DebriefDataStore, settings: PrivacySettings, seed: UInt64, questions: QuestionLibrary = .empty
    ) {
        self.questions = questions
        self.assembler = DigestInputAssembler(store: store, settings: settings)
        self.store = store
        self.settings = settings
        self.seed = seed
    }

    /// Time spent in each step of the last `documents` call (for the benchmark).
    package struct Timings: Sendable {
        package var store: Duration = .zero
        package var release: Duration = .zero
        package var build: Duration = .zero

        package init() {}
    }

    package func documents(for audiences: [DigestAudience], week: WeekKey, names: DirectoryNames?, now: Date)
        async throws -> [DigestDocument]
    {
        var timings = Timings()
        return try await documents(for: audiences, week: week, names: names, now: now, timings: &timings)
    }

    package func documents(
        for audiences: [DigestAudience], week: WeekKey, names: DirectoryNames?, now: Date, timings: inout Timings
    ) async throws -> [DigestDocument] {
        let clock = ContinuousClock()
        let started = clock.now
        let window = trendWindow(through: week)
        let stored = try await storedReleases(of: window)
        // Only weeks without a stored release are aggregated: the others' numbers are never read again.
        let sources = try await assembler.sources(
            week: week, statsWeeks: window.filter { stored[$0] == nil }, withCohorts: stored[week] == nil, now: now)
        let read = clock.now
        let answers = try await questionAnswers(week: week)
        let releases = try await self.releases(
            through: week, stored: stored, sources: sources, now: now, questions: answers.input)
        let released = clock.now
        var inputs = assembler.inputs(for: audiences, sources: sources, names: names, releases: releases)
        // Free text only with a directory to scrub it against, like quotes.
        if names != nil {
            for index in inputs.indices where inputs[index].audience == .leadership {
                inputs[index].themeQuotes = answers.quotes
            }
        }
        let built: [DigestDocument]
        let scrubber = names.map { Self.scrubber(for: $0.directory) }
        if let names, let scrubber {
            built = DigestBuilder.build(inputs, seed: seed, scrubber: scrubber, preparedFor: names.directory)
        } else {
            built = DigestBuilder.build(inputs, seed: seed)
        }
        let documents = try await TryThisPicker(store: store, settings: settings).attach(
            to: built, week: week, names: names, scrubber: scrubber)
        timings.store = read - started
        timings.release = released - read
        timings.build = clock.now - released
        return documents
    }

    /// `week` and the weeks before it whose releases its trends read, oldest first.
    func trendWindow(through week: WeekKey) -> [WeekKey] {
        (0...assembler.historyWeeks).reversed().map { week.adding(weeks: -$0) }
    }

    /// The stored releases among `weeks`, decoded: from the last window's when the bytes are the same, the rest
    /// side by side (a window after a restart is a dozen releases of half a megabyte). Becomes the last window.
    func storedReleases(of weeks: [WeekKey]) async throws -> [WeekKey: WeekRelease] {
        let cached = Self.decodedReleases.withLock { $0 }
        var decoded: [WeekKey: DecodedRelease] = [:]
        var missing: [(week: WeekKey, data: Data)] = []
        for (key, data) in try await store.releases(weeks: weeks.map(\.description)) {
            guard let week = WeekKey(key) else { continue }
            if let hit = cached[week], hit.data == data {
                decoded[week] = hit
            } else {
                missing.append((week, data))
            }
        }
        try await withThrowingTaskGroup(of: (WeekKey, DecodedRelease).self) { group in
            for (week, data) in missing {
                group.addTask { (week, DecodedRelease(data: data, release: try Self.decode(data))) }
            }
            for try await (week, release) in group { decoded[week] = release }
        }
        Self.decodedReleases.withLock { $0 = decoded }
        return decoded.mapValues(\.release)
    }

    /// Forgets the decoded releases, as a restart does (for the benchmark's first job after a restart).
    package static func forgetDecodedReleases() {
        decodedReleases.withLock { $0 = [:] }
    }

    /// The scrubber of `directory`: the last one prepared in this process when the directory is the same
    /// (the digests' quotes and every team's "Try this" share it), else a new one, kept for next time.
    static func scrubber(for directory: [String]) -> QuoteScrubber {
        if let hit = preparedScrubber.withLock({ $0 }), hit.directory == directory { return hit.scrubber }
        let scrubber = QuoteScrubber(directoryNames: directory)
        preparedScrubber.withLock { $0 = (directory, scrubber) }
        return scrubber
    }

    /// The last directory's scrubber. Why: preparing 100,000 names costs about a third of a second, and the
    /// directory changes far less often than digests are computed (posting, previews, receipts). One is kept,
    /// so memory holds at most one prepared directory besides the directory itself.
    static let preparedScrubber = Mutex<(directory: [String], scrubber: QuoteScrubber)?>(nil)

    /// A stored release with its decoded form.
    struct DecodedRelease: Sendable {
        var data: Data
        var release: WeekRelease
    }

    /// The last trend window's releases, decoded, for the next computation in this process.
    ///
    /// Why: the thirteen releases of a window are about half a megabyte of JSON each at 100,000 people, and
    /// decoding them was a fifth of a digest computation (0.4 s). A stored release is never rewritten, and a hit
    /// must also have the very same stored bytes (so another database, as in tests, is never served from here).
    /// Holds one window only (what `storedReleases(of:)` decoded, plus the weeks `releases` released in that window):
    /// memory stays bounded by what one computation decodes anyway. So a server's weekly job decodes only what
    /// it did not release itself; after a restart its first job decodes the window once (about 0.3 s at 100,000
    /// people).
    static let decodedReleases = Mutex<[WeekKey: DecodedRelease]>([:])

    /// The releases of `week` and the weeks before it (the trend window): `stored` (read by
    /// `storedReleases(of:)`), plus the ones that were never published, released now: `week` itself, and
    /// earlier weeks without any digest row. `sources` must hold the cells of every window week missing from
    /// `stored` (and the cohorts when `week` is missing): a release is made from them.
    func releases(
        through week: WeekKey, stored: [WeekKey: WeekRelease], sources: DigestInputAssembler.Sources, now: Date,
        questions: QuestionWeekInput? = nil
    ) async throws
        -> [WeekKey: WeekRelease]
    {
        let window = trendWindow(through: week)
        var releases = stored
        let missing = window.filter { releases[$0] == nil }
        guard !missing.isEmpty else { return releases }
        let published = try await store.weeksWithDigests(missing.map(\.description))
        // The earliest week with reflections or a release: `sources.stats` has only the unreleased weeks, but a
        // released week is among `releases.keys`, so this is the same week as with every week's cells read.
        let firstData = (sources.stats.keys.filter { $0 <= week } + releases.keys).min() ?? week
        let roster = try await store.roster()
        // The release before each released week: a window week's, or — only when none precedes the first week
        // released now — the last one before the window (read and decoded only then: a weekly job's window holds
        // every earlier week, and that release is half a megabyte of JSON).
        var previous: WeekRelease?
        var seenInWindow = false
        for point in window {
            if let stored = releases[point] {
                previous = stored
                seenInWindow = true
                continue
            }
            let isDue = point == week || (point >= firstData && !published.contains(point.description))
            guard isDue else { continue }
            if !seenInWindow {
                previous = try await store.latestRelease(before: window.first?.description ?? week.description)
                    .map(Self.decode)
                seenInWindow = true
            }
            let release = DigestBuilder.release(
                week: point, stats: sources.stats[point] ?? [:], roster: roster,
                cohorts: point == week ? sources.cohorts : nil, previous: previous, settings: settings, seed: seed,
                questions: point == week ? questions : nil)
            // Insert unless present: a replica that released the week first wins, and everyone uses its release.
            let encoded = try Self.encode(release)
            let stored = try await store.createRelease(week: point.description, release: encoded, at: now)
            // Ours was stored (the usual case): it is what decoding the stored bytes gives (a release round-trips
            // through JSON exactly), so only another replica's release is decoded.
            let kept = stored == encoded ? release : try Self.decode(stored)
            // Next week's window reads this week back: keep it decoded, as if it had been read.
            Self.decodedReleases.withLock { $0[point] = DecodedRelease(data: stored, release: kept) }
            releases[point] = kept
            previous = kept
        }
        return releases
    }

    /// The week's answers to the rotating questions, counted (nothing when no questions are configured).
    func questionAnswers(week: WeekKey) async throws -> (input: QuestionWeekInput?, quotes: [ThemeQuoteCandidate]) {
        guard !questions.reference.isEmpty || !questions.taxonomy.themes.isEmpty else { return (nil, []) }
        let counted = QuestionWeekCounter.input(
            try await store.questionAnswers(week: week.description), library: questions)
        return (counted.input, counted.quotes)
    }

    static func encode(_ release: WeekRelease) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(release)
    }

    static func decode(_ data: Data) throws -> WeekRelease {
        try JSONDecoder().decode(WeekRelease.self, from: data)
    }

    struct NoDocument: Error, CustomStringConvertible {
        var description: String { "the digest computation returned no document" }
    }
}
