import Foundation

/// How long a failed job waits before its next attempt: exponential, capped, jittered.
///
/// Why jitter: when Slack has an outage, every nudge fails at about the same moment; without jitter they
/// would all retry at the same moments again. The random number is injected (a number in `0...1`), so the
/// delays are a pure function that tests check exactly.
public struct JobBackoff: Sendable, Equatable {
    /// How the computed delay is spread.
    public enum Jitter: Sendable, Equatable {
        /// Anywhere in `0...delay`: spreads retries most, but a retry may follow almost at once.
        case full
        /// In `delay/2...delay`: spread, yet never sooner than half the delay. The default.
        case equal
        /// Exactly the delay (tests, or a single worker where lockstep cannot happen).
        case none
    }

    /// The delay after the first failed attempt (before jitter). Default 30 s.
    public var base: Duration
    /// The longest delay (before jitter). Default 1 h.
    public var cap: Duration
    public var jitter: Jitter

    public init(base: Duration = .seconds(30), cap: Duration = .seconds(3_600), jitter: Jitter = .equal) {
        self.base = base
        self.cap = cap
        self.jitter = jitter
    }

    /// The delay after failed attempt number `attempt` (1-based): `base * 2^(attempt-1)`, capped, jittered.
    /// - Parameter random: A number in `0...1` (values outside are clamped).
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 40)
        let cap = max(self.cap, .zero)
        var delay = max(base, .zero)
        for _ in 0..<exponent {
            guard delay < cap else { break }
            delay = delay * 2
        }
        delay = min(delay, cap)
        let unit = random.isNaN ? 0 : min(max(random, 0), 1)
        switch jitter {
        case .full: return delay * unit
        case .equal: return delay / 2 + (delay / 2) * unit
        case .none: return delay
        }
    }

    /// The instant of the next attempt after failed attempt number `attempt`.
    public func retryDate(afterAttempt attempt: Int, from now: Date, random: Double) -> Date {
        let components = delay(afterAttempt: attempt, random: random).components
        return now.addingTimeInterval(TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18)
    }
}
