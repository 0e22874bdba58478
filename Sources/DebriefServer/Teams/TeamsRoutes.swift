import DebriefCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Mounts ``TeamsEndpoint`` on `POST /api/messages`, the messaging endpoint registered on the Azure Bot.
struct TeamsRoutes: Sendable {
    /// Nil when Teams is not configured: the route answers 503 with the sentence saying what to set.
    let endpoint: TeamsEndpoint?
    /// 1 MiB: Teams' messages are at most about 100 KB; anything larger is not from Teams.
    static let maximumBodyBytes = 1 << 20

    func register(on router: Router<BasicRequestContext>) {
        router.post("/api/messages") { request, _ in
            try await handle(request)
        }
    }

    func handle(_ request: Request) async throws -> Response {
        guard let endpoint else {
            return Response.text(DebriefConfiguration.teamsNotConfiguredSentence + "\n", status: .serviceUnavailable)
        }
        var request = request
        guard let body = try await request.body(upTo: Self.maximumBodyBytes) else {
            return Response.tooLarge(Self.maximumBodyBytes)
        }
        let reply = await endpoint.handle(
            body: body, authorization: request.headers[.authorization])
        guard let body = reply.body else { return Response(status: reply.status) }
        return Response(
            status: reply.status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.encoded())))
    }
}
