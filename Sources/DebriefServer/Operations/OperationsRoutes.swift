import DebriefStore
import Hummingbird
import Prometheus

/// `/healthz`, `/readyz` and `/metrics`: what an orchestrator and Prometheus ask of a server.
struct OperationsRoutes: Sendable {
    let store: any Store
    let registry: PrometheusCollectorRegistry?

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in
            Response.text("ok\n")
        }
        router.get("/readyz") { _, _ in
            do {
                try await store.checkHealth()
                return Response.text("ready\n")
            } catch {
                return Response.text("database unreachable: \(error)\n", status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { _, _ in
            guard let registry else { return Response.text("metrics are not enabled\n", status: .notFound) }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}

extension Response {
    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension OperationsRoutes: ServerFeature {}
