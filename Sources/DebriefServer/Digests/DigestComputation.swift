import DebriefCore
import Foundation

/// Computes one week's digest documents for several audiences from the store: the server's whole digest
/// computation, public so `debrief bench digest` measures exactly what the posting job runs.
///
/// The store is read once (SQL aggregates, never individual reflections' numbers) and all documents are
/// built in one `DigestBuilder.build(_:random:)` batch from one generator seeded with the installation's
/// digest seed, so every audience of every week shares one noise stream.
public struct DigestComputation: Sendable {
    let assembler: DigestInputAssembler
    let seed: UInt64

    public init(store: any DebriefDataStore, settings: PrivacySettings, seed: UInt64) {
        self.assembler = DigestInputAssembler(store: store, settings: settings)
        self.seed = seed
    }

    /// Time spent in each step of the last `documents` call (for the benchmark).
    public struct Timings: Sendable {
        public var store: Duration = .zero
        public var build: Duration = .zero

        public init() {}
    }

    public func documents(for audiences: [DigestAudience], week: WeekKey, names: DigestNames?, now: Date)
        async throws -> [DigestDocument]
    {
        var timings = Timings()
        return try await documents(for: audiences, week: week, names: names, now: now, timings: &timings)
    }

    public func documents(
        for audiences: [DigestAudience], week: WeekKey, names: DigestNames?, now: Date, timings: inout Timings
    ) async throws -> [DigestDocument] {
        let clock = ContinuousClock()
        let started = clock.now
        let sources = try await assembler.sources(week: week, now: now)
        let read = clock.now
        let inputs = assembler.inputs(for: audiences, sources: sources, names: names)
        var random = SeededGenerator(seed: seed)
        let documents = DigestBuilder.build(inputs, random: &random)
        timings.store = read - started
        timings.build = clock.now - read
        return documents
    }

    struct NoDocument: Error, CustomStringConvertible {
        var description: String { "the digest computation returned no document" }
    }
}
