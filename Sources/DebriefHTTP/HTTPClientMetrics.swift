import HTTPTypes
import Metrics

/// Request counters for outbound HTTP, one handle per outcome created up front.
///
/// Why: operators need to see when Slack or Teams starts rate limiting (429) or failing (5xx), but a
/// dimension per URL or per status code would explode the series count and leak workspace identifiers.
/// The outcome set is fixed, so the number of series is too.
struct HTTPClientMetrics: Sendable {
    /// The bounded set of values for the `outcome` dimension.
    enum Outcome: String, CaseIterable, Sendable {
        case success = "2xx"
        case redirect = "3xx"
        case rateLimited = "429"
        case clientError = "4xx"
        case serverError = "5xx"
        case error = "error"

        init(status: HTTPResponse.Status) {
            switch status.code {
            case 429: self = .rateLimited
            case 200..<300: self = .success
            case 300..<400: self = .redirect
            case 400..<500: self = .clientError
            case 500..<600: self = .serverError
            default: self = .error
            }
        }
    }

    static let requestsLabel = "debrief_http_client_requests_total"

    private let counters: [Outcome: Counter]

    init(factory: (any MetricsFactory)? = nil) {
        var counters: [Outcome: Counter] = [:]
        for outcome in Outcome.allCases {
            let dimensions = [("outcome", outcome.rawValue)]
            if let factory {
                counters[outcome] = Counter(label: Self.requestsLabel, dimensions: dimensions, factory: factory)
            } else {
                counters[outcome] = Counter(label: Self.requestsLabel, dimensions: dimensions)
            }
        }
        self.counters = counters
    }

    func record(_ outcome: Outcome) {
        counters[outcome]?.increment()
    }
}
