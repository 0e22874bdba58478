import DebriefStore
import Metrics

/// The worker's metric handles, created once per kind so the number of series is fixed.
///
/// Kinds come from the registered handlers (a small fixed set); queued kinds nobody here handles are
/// summed into `kind="other"`, so a misconfiguration shows up without unbounded labels.
struct JobWorkerMetrics: Sendable {
    static let completedLabel = "debrief_jobs_completed_total"
    static let depthLabel = "debrief_job_queue_depth"
    static let otherKind = "other"

    /// The bounded `outcome` dimension of `debrief_jobs_completed_total`.
    enum Outcome: String, CaseIterable, Sendable {
        case done
        /// Failed, will be tried again after the backoff.
        case retry
        /// Put back without consuming an attempt (rate limited).
        case rescheduled
        /// Attempts exhausted or failed permanently: a dead letter.
        case dead
        /// The claim was no longer ours (lease expired and taken over) or the store update failed; the
        /// job will run again elsewhere.
        case lost
    }

    /// The bounded `state` dimension of `debrief_job_queue_depth`.
    enum DepthState: String, CaseIterable, Sendable {
        case pendingDue = "pending_due"
        case pendingScheduled = "pending_scheduled"
        case running
        case dead
    }

    private struct CounterKey: Hashable {
        var kind: String
        var outcome: Outcome
    }

    private struct GaugeKey: Hashable {
        var kind: String
        var state: DepthState
    }

    private let counters: [CounterKey: Counter]
    private let gauges: [GaugeKey: Gauge]
    private let kinds: Set<String>

    init(kinds: Set<String>, factory: (any MetricsFactory)?) {
        self.kinds = kinds
        var counters: [CounterKey: Counter] = [:]
        var gauges: [GaugeKey: Gauge] = [:]
        for kind in kinds {
            for outcome in Outcome.allCases {
                let dimensions = [("kind", kind), ("outcome", outcome.rawValue)]
                counters[CounterKey(kind: kind, outcome: outcome)] =
                    if let factory {
                        Counter(label: Self.completedLabel, dimensions: dimensions, factory: factory)
                    } else {
                        Counter(label: Self.completedLabel, dimensions: dimensions)
                    }
            }
        }
        for kind in kinds.union([Self.otherKind]) {
            for state in DepthState.allCases {
                let dimensions = [("kind", kind), ("state", state.rawValue)]
                gauges[GaugeKey(kind: kind, state: state)] =
                    if let factory {
                        Gauge(label: Self.depthLabel, dimensions: dimensions, factory: factory)
                    } else {
                        Gauge(label: Self.depthLabel, dimensions: dimensions)
                    }
            }
        }
        self.counters = counters
        self.gauges = gauges
    }

    func record(_ outcome: Outcome, kind: String) {
        counters[CounterKey(kind: kind, outcome: outcome)]?.increment()
    }

    /// Sets every gauge: registered kinds missing from `depths` are zero.
    func update(_ depths: [String: JobDepth]) {
        var totals: [String: JobDepth] = [:]
        for kind in kinds.union([Self.otherKind]) { totals[kind] = JobDepth() }
        for (kind, depth) in depths {
            let key = kinds.contains(kind) ? kind : Self.otherKind
            totals[key, default: JobDepth()].pendingDue += depth.pendingDue
            totals[key, default: JobDepth()].pendingScheduled += depth.pendingScheduled
            totals[key, default: JobDepth()].running += depth.running
            totals[key, default: JobDepth()].dead += depth.dead
        }
        for (kind, depth) in totals {
            gauges[GaugeKey(kind: kind, state: .pendingDue)]?.record(depth.pendingDue)
            gauges[GaugeKey(kind: kind, state: .pendingScheduled)]?.record(depth.pendingScheduled)
            gauges[GaugeKey(kind: kind, state: .running)]?.record(depth.running)
            gauges[GaugeKey(kind: kind, state: .dead)]?.record(depth.dead)
        }
    }
}
