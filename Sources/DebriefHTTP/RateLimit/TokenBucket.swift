/// The scheduling state of one rate-limit key, as a value type with no I/O or clock of its own.
///
/// Why a state machine apart from ``BucketRateLimiter``: the rules (burst, spacing, what a pause does to
/// those already waiting, what a cancelled waiter gives back) are the part worth testing exhaustively, and
/// they need only instants passed in. The actor is the thin shell that sleeps.
///
/// It is a generic cell rate algorithm (GCRA, equivalent to a token bucket): `theoreticalArrival` is when
/// the bucket would be full again. Every reservation gets a *slot* (the instant it may proceed) at once, so
/// waiters are served first come, first served, spaced by the emission interval, and the slots never
/// exceed `burst` requests at once plus `perSecond` afterwards.
struct TokenBucket: Sendable {
    typealias Instant = ContinuousClock.Instant

    let interval: Duration
    let tolerance: Duration
    /// How far ahead of the granted schedule a call may go: the burst's tolerance, and at least half an
    /// interval. Why the half: a waiter wakes a little after its slot (timer and scheduler latency, tens of
    /// microseconds to milliseconds under load). With a burst of 1 and no slack, each late wake-up moved every
    /// later grant by its lateness, and those delays added up: at 291 sends a second, a loaded 2-core machine
    /// sent 0.976 of the rate. Half an interval absorbs the lateness, so the average stays at the rate; two calls
    /// are still never closer than half an interval, and any window holds at most half a call more than the
    /// burst and the rate allow.
    let grantTolerance: Duration
    private(set) var theoreticalArrival: Instant?
    /// The same algorithm over the instants calls actually went ahead. Slots are promises made in advance;
    /// when a process stalls (a GC pause, SIGSTOP, an overloaded host), several waiters wake late at the same
    /// moment with their slots all in the past. Admitting them against this second arrival time keeps the
    /// calls actually sent within `burst` at once plus one per interval.
    private(set) var grantedArrival: Instant?
    private(set) var pausedUntil: Instant?
    /// Reservations whose slot was in the future when made, by ticket, until granted or cancelled.
    private(set) var waiting: [UInt64: Instant] = [:]
    private var lastReservation: UInt64?

    init(rate: BucketRateLimiter.Rate) {
        interval = rate.interval
        tolerance = rate.interval * (rate.effectiveBurst - 1)
        grantTolerance = Swift.max(tolerance, rate.interval / 2)
    }

    /// Reserves the next slot for `ticket`. When it is later than `now`, the ticket waits until
    /// ``admit(_:now:)`` or ``cancel(_:)``.
    mutating func reserve(_ ticket: UInt64, now: Instant) -> Instant {
        let base = max(theoreticalArrival ?? now, now)
        let slot = max(base - tolerance, now)
        theoreticalArrival = base + interval
        lastReservation = ticket
        if slot > now { waiting[ticket] = slot }
        return slot
    }

    /// The current slot of a waiting ticket (a pause may have moved it).
    func slot(of ticket: UInt64) -> Instant? { waiting[ticket] }

    /// The ticket's slot arrived: it goes ahead now (returns nil) unless calls actually sent just before would
    /// make this one exceed the rate, in which case it waits until the returned instant and asks again.
    mutating func admit(_ ticket: UInt64, now: Instant) -> Instant? {
        let granted = max(grantedArrival ?? now, now)
        let earliest = granted - grantTolerance
        if earliest > now {
            waiting[ticket] = earliest
            return earliest
        }
        grantedArrival = granted + interval
        waiting[ticket] = nil
        return nil
    }

    /// The waiter gave up. Its slot is given back when nobody reserved after it; otherwise it stays a gap
    /// (later waiters are asleep until their own slots, and a gap only lowers the rate).
    mutating func cancel(_ ticket: UInt64) {
        guard waiting.removeValue(forKey: ticket) != nil else { return }
        if lastReservation == ticket, let arrival = theoreticalArrival {
            theoreticalArrival = arrival - interval
            lastReservation = nil
        }
    }

    /// Nobody may proceed before `until`. Everyone already waiting keeps their order and is re-slotted from
    /// `until` one interval apart, and the burst allowance is spent, so the end of a pause is not a
    /// stampede (the cause of 429 storms).
    mutating func pause(until: Instant) {
        let end = max(pausedUntil ?? until, until)
        pausedUntil = end
        var next = end
        for (ticket, _) in waiting.sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
            waiting[ticket] = next
            next = next + interval
        }
        // The next new reservation lands at `next` and no earlier: no burst right after a pause.
        theoreticalArrival = next + tolerance
        grantedArrival = max(grantedArrival ?? end, end + grantTolerance)
        lastReservation = nil
    }

    /// The end of a pause still in effect at `now`.
    func paused(at now: Instant) -> Instant? {
        guard let pausedUntil, pausedUntil > now else { return nil }
        return pausedUntil
    }

    /// True when the bucket behaves exactly like a fresh one, so the limiter may forget it.
    func isIdle(at now: Instant) -> Bool {
        waiting.isEmpty && (theoreticalArrival.map { $0 <= now } ?? true) && (grantedArrival.map { $0 <= now } ?? true)
            && paused(at: now) == nil
    }
}
