import Foundation

/// A small, fast, seedable random number generator (SplitMix64).
///
/// The core never reaches for system randomness: tests and previews need the same digest for the same seed, and
/// noise must be reproducible so that a count published twice carries the same noise (otherwise two publications
/// could be averaged to remove it). Not cryptographic; the seed is the secret.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { self.state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A generator for one named purpose, derived from a base seed: the same (seed, label) always gives the same
    /// stream, different labels give independent-looking streams.
    public static func derived(from seed: UInt64, label: String) -> SeededGenerator {
        SeededGenerator(seed: mix(seed ^ fnv1a(label)))
    }

    /// SplitMix64's finaliser.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a over UTF-8: a stable hash (unlike `Hasher`, which is seeded per process).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
