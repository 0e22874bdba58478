import Foundation

/// The one simulated clock every replica of `bench replicas` runs on, however late it was started.
///
/// Why: a server's simulated clock starts at `DEBRIEF_CLOCK_START` when the process starts, so two processes given
/// the same start instant a few seconds apart disagree by those seconds times the speed — on when a nudge is due,
/// on leases, on Slack signature timestamps. Each replica (and the one restarted after the kill) is instead given
/// the instant this timeline shows at its launch, so all of them tell the same time (up to their few milliseconds
/// of start-up, times the speed).
struct ReplicaTimeline: Sendable {
    /// The simulated instant at `origin`.
    let start: Date
    let speed: Double
    let origin: ContinuousClock.Instant

    func simulated(at instant: ContinuousClock.Instant) -> Date {
        start.addingTimeInterval(BenchFanout.seconds(instant - origin) * speed)
    }

    /// `DEBRIEF_CLOCK_START` for a process launched now, with fractions of a second.
    func clockStartForLaunchNow() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: simulated(at: .now))
    }

    /// The real instant at which the timeline shows `date`.
    func realInstant(of date: Date) -> ContinuousClock.Instant {
        origin + .seconds(date.timeIntervalSince(start) / speed)
    }
}
