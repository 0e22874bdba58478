import Foundation

/// The server's notion of "now", shared by schedules, leases, signature windows and timestamps.
///
/// Normally it is the wall clock. For demos and acceptance tests (`DEBRIEF_CLOCK_START`,
/// `DEBRIEF_CLOCK_SPEED`) it starts at a chosen instant and runs faster, so three weeks of nudges can be
/// watched in minutes. Off by default; never enable it in production (Slack rejects requests whose
/// signatures are checked against a clock that is off by more than five minutes, so a simulated clock is
/// for loopback fakes only).
public struct DebriefClock: Sendable {
    /// The simulated instant at `realStart`, and how many simulated seconds pass per real second.
    public struct Simulation: Sendable, Equatable {
        public var start: Date
        public var speed: Double

        public init(start: Date, speed: Double) {
            self.start = start
            self.speed = speed
        }
    }

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
}
