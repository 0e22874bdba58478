import DebriefCore
import DebriefStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /digests/{id}?sig=…`: the full digest as a self-contained HTML page with charts.
///
/// The link is the only key: HMAC-signed with an expiry, so it can be shared in a channel without
/// opening the digest to the internet at large. A bad or expired link gets 403 and a plain explanation.
struct DigestPageRoutes: Sendable {
    let service: DigestService
    let now: @Sendable () -> Date

    func register(on router: Router<BasicRequestContext>) {
        router.get("/digests/{id}") { request, context in
            let id = context.parameters.get("id") ?? ""
            let sig = request.uri.queryParameters.get("sig") ?? ""
            if case .failure(let error) = service.verify(digestID: id, sig: sig, now: now()) {
                return Self.html(DigestPage.refusal(error), status: .forbidden)
            }
            guard let stored = try await service.store.digest(id: id),
                let document = try? DigestService.decode(stored.document)
            else {
                return Self.html(Self.notFoundPage, status: .notFound)
            }
            let scope = DigestTarget.Scope(key: stored.target) ?? .leadership
            return Self.html(
                DigestPage.html(document: document, title: DigestService.title(for: scope, week: stored.week)))
        }
    }

    static let notFoundPage = """
        <!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1"><title>Digest not found</title></head>
        <body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem">
        <h1>Digest not found</h1><p>This digest no longer exists on this Debrief server. Digests are kept as
        aggregates only; ask the person who runs Debrief if you expected to find it here.</p></body></html>
        """

    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "private, no-store"
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        headers[HTTPField.Name("Referrer-Policy") ?? .contentType] = "no-referrer"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
    }
}
