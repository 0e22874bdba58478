import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

extension FakeBotFrameworkIssuer {
    /// Adds `GET /v1/.well-known/openidconfiguration` and `GET /v1/.well-known/keys` to `router`. The metadata's
    /// `jwks_uri` points at the same host the request came to (its `Host`), so the routes work on whichever server
    /// mounts them.
    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.get(RouterPath(stringLiteral: Self.metadataPath)) { request, _ -> Response in
            if let failure = self.recordFetch(.metadata) { return Self.failure(failure) }
            let host = request.head.authority ?? "127.0.0.1"
            return Self.jsonResponse(try self.metadataDocument(baseURL: "http://\(host)"))
        }
        router.get(RouterPath(stringLiteral: Self.keysPath)) { _, _ -> Response in
            if let failure = self.recordFetch(.keys) { return Self.failure(failure) }
            return Self.jsonResponse(try self.keysDocument())
        }
    }

    /// Counts a fetch; returns the status to fail it with, if any.
    private func recordFetch(_ document: Document) -> HTTPResponse.Status? {
        state.withLock { state in
            state.fetches[document, default: 0] += 1
            return state.failing[document]
        }
    }

    private static func jsonResponse(_ body: Data) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    private static func failure(_ status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "fake outage")))
    }
}
