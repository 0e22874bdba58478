import Hummingbird
import Metrics

/// Counts requests by route template and status: `debrief_http_requests_total{route,status}`.
///
/// Route labels are the registered templates (`/slack/events`), never raw paths, so label values stay bounded.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let route = context.endpointPath ?? "unmatched"
        do {
            let response = try await next(request, context)
            Self.counter(route: context.endpointPath ?? route, status: response.status.code).increment()
            return response
        } catch let error as any HTTPResponseError {
            Self.counter(route: context.endpointPath ?? route, status: error.status.code).increment()
            throw error
        } catch {
            Self.counter(route: context.endpointPath ?? route, status: 500).increment()
            throw error
        }
    }

    static func counter(route: String, status: Int) -> Counter {
        Counter(label: "debrief_http_requests_total", dimensions: [("route", route), ("status", String(status))])
    }
}
