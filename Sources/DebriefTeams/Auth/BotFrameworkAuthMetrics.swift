import Metrics

/// The counter `debrief_teams_auth_failures_total{reason}`, one handle per ``BotFrameworkAuthFailure`` made once,
/// so counting a refused request costs a dictionary lookup.
struct BotFrameworkAuthMetrics: Sendable {
    static let failuresLabel = "debrief_teams_auth_failures_total"

    private let failures: [String: Counter]

    init(factory: (any MetricsFactory)?) {
        var failures: [String: Counter] = [:]
        for failure in BotFrameworkAuthFailure.all {
            let dimensions = [("reason", failure.reason)]
            failures[failure.reason] =
                if let factory {
                    Counter(label: Self.failuresLabel, dimensions: dimensions, factory: factory)
                } else {
                    Counter(label: Self.failuresLabel, dimensions: dimensions)
                }
        }
        self.failures = failures
    }

    func record(_ failure: BotFrameworkAuthFailure) {
        failures[failure.reason]?.increment()
    }
}
