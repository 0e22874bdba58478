import HTTPTypes
import Hummingbird

/// Guards the admin API (`/api/v1/…`): 503 while no token is configured (the API is off), 401 with
/// `WWW-Authenticate: Bearer` for a missing or wrong token. Routes behind it never see an unauthenticated
/// request, so no route can forget the check.
struct AdminBearerMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: AdminAuthenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard authenticator.isEnabled else {
            throw APIProblem(.serviceUnavailable, "the admin API is off: set DEBRIEF_ADMIN_TOKENS and restart")
        }
        guard authenticator.isAuthorized(authorizationHeader: request.headers[.authorization]) else {
            throw APIProblem(.unauthorized, "missing or wrong bearer token", headers: [.wwwAuthenticate: "Bearer"])
        }
        return try await next(request, context)
    }
}
