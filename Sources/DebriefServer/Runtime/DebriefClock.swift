import Foundation

/// The server's clock in `debrief serve`: the wall clock, or a simulated one.
///
/// Normally it is the wall clock. For demos and acceptance tests (`DEBRIEF_CLOCK_START`,
/// `DEBRIEF_CLOCK_SPEED`) it starts at a chosen instant and runs faster, so three weeks of nudges can be
/// watched in minutes; sleeping until a simulated instant then takes the real time divided by the speed.
/// Off by default; never enable it in production (Slack rejects requests whose signatures are checked
/// against a clock that is off by more than five minutes, so a simulated clock is for loopback fakes only).
public struct DebriefClock: ServerClock {
    /// The simulated instant at `realStart`, and how many simulated seconds pass per real second.
    public struct Simulation: Sendable, Equatable {
        public var start: Date
        public var speed: Double

        public init(start: Date, speed: Double) {
            self.start = start
            self.speed = speed
        }
    }

    /// The longest real time one sleep lasts before the clock is read again. Why: the wall clock can be
    /// stepped (NTP, a resumed virtual machine) while a task sleeps on the monotonic clock; reading it again
    /// at least this often bounds how late a wake-up can be after such a step.
    public static let longestNap = Duration.seconds(60)

    public let simulation: Simulation?
    private let realStart: Date

    public init(simulation: Simulation? = nil, realStart: Date = Date()) {
        self.simulation = simulation
        self.realStart = realStart
    }

    public func now() -> Date {
        guard let simulation else { return Date() }
        return simulation.start.addingTimeInterval(Date().timeIntervalSince(realStart) * simulation.speed)
    }

    public func sleep(until deadline: Date) async throws {
        // Configuration only accepts positive speeds; the floor keeps a hand-built clock from dividing by zero.
        let speed = max(simulation?.speed ?? 1, 1e-6)
        while true {
            let left = deadline.timeIntervalSince(now())
            guard left > 0 else { return }
            try await Task.sleep(for: min(.seconds(left / speed), Self.longestNap))
        }
    }
}
