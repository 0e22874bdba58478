import Foundation

/// Two-sided geometric noise (the discrete Laplace mechanism) for counts.
///
/// Adding `G₁ − G₂` with G geometric, P(noise = z) ∝ α^|z| and α = e^(−ε), makes a count with sensitivity
/// 1 ε-differentially private: one person more or less changes the probability of any published value by at
/// most a factor e^ε. With ε = 1 the standard deviation is about 1.36 people, invisible at the sizes digests show
/// (k ≥ 5, bucketed) but enough to blunt exact subtraction.
/// - Important: threshold decisions (k, k_quotes) are always taken on exact counts; noise only changes what is
///   displayed. A noised count below k is displayed as k's bucket, never hidden or revealed as small.
public struct GeometricNoise: Sendable, Equatable {
    public let epsilon: Double

    /// nil unless epsilon is finite and positive.
    public init?(epsilon: Double) {
        guard epsilon.isFinite, epsilon > 0 else { return nil }
        self.epsilon = epsilon
    }

    /// e^(−ε): the ratio between the probabilities of neighbouring noise values.
    public var alpha: Double { exp(-epsilon) }

    /// Var = 2α / (1 − α)².
    public var variance: Double { 2 * alpha / ((1 - alpha) * (1 - alpha)) }

    /// E|noise| = 2α / (1 − α²).
    public var expectedAbsoluteNoise: Double { 2 * alpha / (1 - alpha * alpha) }

    /// One draw of integer noise, symmetric around 0.
    public func sample(using generator: inout some RandomNumberGenerator) -> Int {
        geometric(using: &generator) - geometric(using: &generator)
    }

    /// `count` plus noise, never negative.
    public func noised(_ count: Int, using generator: inout some RandomNumberGenerator) -> Int {
        max(0, count + sample(using: &generator))
    }

    /// Failures before the first success with success probability 1 − α, by inversion.
    private func geometric(using generator: inout some RandomNumberGenerator) -> Int {
        let uniform = 1 - Double.random(in: 0..<1, using: &generator)  // (0, 1]
        let value = (log(uniform) / log(alpha)).rounded(.down)
        guard value.isFinite, value >= 0 else { return 0 }
        return Int(min(value, 1_000_000))
    }
}
