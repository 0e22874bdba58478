import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Mounts ``SlackEndpoint`` on `POST /slack/events` (and the legacy split paths some manifests use).
struct SlackRoutes: Sendable {
    /// Nil when Slack is not configured: the routes then answer 503 with the sentence saying what to set.
    let endpoint: SlackEndpoint?
    let maximumBodyBytes: Int

    func register(on router: Router<BasicRequestContext>) {
        for path in ["/slack/events", "/slack/commands", "/slack/interactions"] {
            router.post(RouterPath(stringLiteral: path)) { request, _ in
                try await handle(request)
            }
        }
    }

    func handle(_ request: Request) async throws -> Response {
        guard let endpoint else {
            return Response.text(DebriefConfiguration.slackNotConfiguredSentence + "\n", status: .serviceUnavailable)
        }
        var request = request
        guard let body = try await request.body(upTo: maximumBodyBytes) else {
            return Response.tooLarge(maximumBodyBytes)
        }
        let reply = await endpoint.handle(
            body: body, contentType: request.headers[.contentType],
            timestamp: request.headers.first(SlackHeader.timestamp),
            signature: request.headers.first(SlackHeader.signature),
            retryNumber: request.headers.first(SlackHeader.retryNumber))
        var headers = HTTPFields()
        if let contentType = reply.contentType { headers[.contentType] = contentType }
        for (name, value) in reply.extraHeaders {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(
            status: reply.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}

/// The Slack headers read on every request, their names validated once.
enum SlackHeader {
    static let timestamp = HTTPField.Name("X-Slack-Request-Timestamp")
    static let signature = HTTPField.Name("X-Slack-Signature")
    static let retryNumber = HTTPField.Name("X-Slack-Retry-Num")
}

extension HTTPFields {
    /// The first value of the header `name` (names compare case-insensitively), without lowercasing or allocating
    /// on every request as a lookup by string did.
    func first(_ name: HTTPField.Name?) -> String? {
        guard let name else { return nil }
        return first { $0.name == name }?.value
    }
}
