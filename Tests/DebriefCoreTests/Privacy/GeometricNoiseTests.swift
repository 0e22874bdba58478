import DebriefCore
import Testing

@Suite("Geometric (discrete Laplace) noise")
struct GeometricNoiseTests {
    @Test("ε = 1: centred on zero, mean |noise| ≈ 0.85 and variance ≈ 1.84 as the distribution predicts")
    func distribution() throws {
        let noise = try #require(GeometricNoise(epsilon: 1))
        var generator = SeededGenerator(seed: 2026)
        let samples = (0..<40_000).map { _ in noise.sample(using: &generator) }
        let mean = Double(samples.reduce(0, +)) / Double(samples.count)
        let meanAbsolute = Double(samples.map(abs).reduce(0, +)) / Double(samples.count)
        let variance = samples.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / Double(samples.count)
        #expect(abs(mean) < 0.05)
        #expect(abs(meanAbsolute - noise.expectedAbsoluteNoise) < 0.05)
        #expect(abs(noise.expectedAbsoluteNoise - 0.851) < 0.001)
        #expect(abs(variance - noise.variance) < 0.15)
        #expect(samples.contains { $0 != 0 })
    }

    @Test("noised counts differ from the exact count but stay close on average and never go negative")
    func noisedCounts() throws {
        let noise = try #require(GeometricNoise(epsilon: 0.5))
        var generator = SeededGenerator(seed: 7)
        let noised = (0..<10_000).map { _ in noise.noised(40, using: &generator) }
        #expect(noised.contains { $0 != 40 })
        let mean = Double(noised.reduce(0, +)) / Double(noised.count)
        #expect(abs(mean - 40) < 0.2)
        #expect(noised.allSatisfy { abs($0 - 40) <= 40 })
        var small = SeededGenerator(seed: 8)
        #expect((0..<1000).allSatisfy { _ in noise.noised(0, using: &small) >= 0 })
    }

    @Test("smaller ε means more noise", arguments: [0.25, 0.5, 1.0, 2.0])
    func scale(epsilon: Double) throws {
        let noise = try #require(GeometricNoise(epsilon: epsilon))
        let stronger = try #require(GeometricNoise(epsilon: epsilon / 2))
        #expect(stronger.variance > noise.variance)
    }

    @Test("no noise without a finite positive ε", arguments: [0.0, -1.0, Double.infinity, Double.nan])
    func invalid(epsilon: Double) {
        #expect(GeometricNoise(epsilon: epsilon) == nil)
        #expect(PrivacySettings(noiseEpsilon: epsilon).effectiveEpsilon == nil)
    }

    @Test("the seeded generator repeats itself for the same seed and label")
    func seeded() {
        var a = SeededGenerator.derived(from: 99, label: "stats|2026-W47|0")
        var b = SeededGenerator.derived(from: 99, label: "stats|2026-W47|0")
        var c = SeededGenerator.derived(from: 99, label: "stats|2026-W46|0")
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        #expect(first != (0..<5).map { _ in c.next() })
    }
}
