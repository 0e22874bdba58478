import Metrics

/// Counters for Bot Connector and token calls, created once with bounded dimensions.
///
/// `debrief_teams_api_calls_total{operation, outcome}` counts HTTP attempts (a retried call counts each attempt):
/// `operation` is one of ``Operation``, `outcome` one of ``Outcome``. Error codes and ids are not labels: they
/// would grow the registry without limit and ids identify people.
public final class TeamsAPIMetrics: Sendable {
    public enum Operation: String, Sendable, CaseIterable {
        case token
        case sendToConversation = "send_to_conversation"
        case replyToActivity = "reply_to_activity"
        case updateActivity = "update_activity"
        case createConversation = "create_conversation"
        case createChannelThread = "create_channel_thread"
        case pagedMembers = "paged_members"
        case teamChannels = "team_channels"
    }

    public enum Outcome: String, Sendable, CaseIterable {
        case ok, ratelimited, refused, unauthorized
        case httpError = "http_error"
        case transportError = "transport_error"
        case invalidResponse = "invalid_response"
    }

    public static let name = "debrief_teams_api_calls_total"

    private let counters: [Operation: [Outcome: Counter]]

    /// - Parameter factory: where counters are created; nil uses the bootstrapped `MetricsSystem`.
    public init(factory: (any MetricsFactory)? = nil) {
        var counters: [Operation: [Outcome: Counter]] = [:]
        for operation in Operation.allCases {
            var byOutcome: [Outcome: Counter] = [:]
            for outcome in Outcome.allCases {
                let dimensions = [("operation", operation.rawValue), ("outcome", outcome.rawValue)]
                byOutcome[outcome] =
                    if let factory {
                        Counter(label: Self.name, dimensions: dimensions, factory: factory)
                    } else {
                        Counter(label: Self.name, dimensions: dimensions)
                    }
            }
            counters[operation] = byOutcome
        }
        self.counters = counters
    }

    /// Shared instance over the bootstrapped `MetricsSystem`, created on first use (after bootstrap).
    public static let shared = TeamsAPIMetrics()

    func record(_ operation: Operation, _ outcome: Outcome) {
        counters[operation]?[outcome]?.increment()
    }
}
