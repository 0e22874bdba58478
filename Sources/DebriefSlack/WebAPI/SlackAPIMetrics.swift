import Metrics

/// Counters for Slack Web API calls, created once with bounded dimensions.
///
/// `debrief_slack_api_calls_total{method, outcome}` counts HTTP attempts: `method` is one of
/// ``knownMethods`` (else `other`), `outcome` one of ``Outcome``. Unbounded labels (arbitrary method
/// names, error codes) would grow the metrics registry without limit, so they are folded.
public final class SlackAPIMetrics: Sendable {
    public enum Outcome: String, Sendable, CaseIterable {
        case ok, error, ratelimited
        case httpError = "http_error"
        case transportError = "transport_error"
    }

    public static let name = "debrief_slack_api_calls_total"

    /// The methods Debrief calls, plus `response_url` for posts to response URLs.
    public static let knownMethods: [String] = [
        "auth.test", "chat.delete", "chat.postEphemeral", "chat.postMessage", "chat.scheduleMessage", "chat.update",
        "conversations.history", "conversations.members", "conversations.open", "oauth.v2.access",
        "usergroups.users.list",
        "users.info", "users.list",
        "users.lookupByEmail", "views.open", "views.publish", "views.push", "views.update", "response_url",
    ]

    private let counters: [String: [Outcome: Counter]]

    /// - Parameter factory: where counters are created; nil uses the bootstrapped `MetricsSystem`.
    public init(factory: (any MetricsFactory)? = nil) {
        var counters: [String: [Outcome: Counter]] = [:]
        for method in Self.knownMethods + ["other"] {
            var byOutcome: [Outcome: Counter] = [:]
            for outcome in Outcome.allCases {
                let dimensions = [("method", method), ("outcome", outcome.rawValue)]
                if let factory {
                    byOutcome[outcome] = Counter(label: Self.name, dimensions: dimensions, factory: factory)
                } else {
                    byOutcome[outcome] = Counter(label: Self.name, dimensions: dimensions)
                }
            }
            counters[method] = byOutcome
        }
        self.counters = counters
    }

    /// Shared instance over the bootstrapped `MetricsSystem`, created on first use (after bootstrap).
    public static let shared = SlackAPIMetrics()

    func record(method: String, _ outcome: Outcome) {
        let byOutcome = counters[method] ?? counters["other"]
        byOutcome?[outcome]?.increment()
    }
}
