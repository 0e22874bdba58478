import DebriefPlatform

/// Why the bot could not get an access token, in words an operator can act on.
///
/// - Important: never contains the client secret, the token, or the token endpoint's free-text
///   description (which can echo request details); only Entra's `AADSTS…` code and OAuth `error` code.
public enum BotTokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The token endpoint refused the credentials (HTTP 400/401 with an OAuth error): wrong app id, wrong or
    /// expired secret, or the wrong tenant. Retrying will not help until the configuration is fixed.
    case rejected(status: Int, error: String?, aadsts: String?)
    /// The configuration cannot work (for example a SingleTenant bot without a tenant id).
    case misconfigured(String)
    /// The token endpoint could not be reached or answered 429/5xx; may work later.
    case unavailable(String)
    /// The token endpoint answered 200 without a usable token.
    case invalidResponse(String)
    /// The calling task was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .rejected(let status, let error, let aadsts):
            let detail = [aadsts, error].compactMap { $0 }.joined(separator: ", ")
            return "MicrosoftAppId/MicrosoftAppPassword rejected by the token endpoint (HTTP \(status)"
                + (detail.isEmpty ? "" : ", \(detail)")
                + "): check the app id, that the client secret is the secret's value (not its id) and has not "
                + "expired, and MicrosoftAppTenantId/MicrosoftAppType"
        case .misconfigured(let message): return message
        case .unavailable(let reason): return "the bot token endpoint is unavailable: \(reason)"
        case .invalidResponse(let reason): return "the bot token endpoint answered without a usable token: \(reason)"
        case .cancelled: return "the token request was cancelled"
        }
    }

    /// The same failure in the terms the job worker acts on: a bad secret is not the recipient's fault, so it is
    /// never ``ChatPlatformError/refused(code:)`` (that would mark people unreachable).
    var platformError: ChatPlatformError {
        switch self {
        case .rejected: .unavailable(code: "token_rejected")
        case .misconfigured: .unavailable(code: "token_misconfigured")
        case .unavailable: .unavailable(code: "token_unavailable")
        case .invalidResponse: .unavailable(code: "token_invalid_response")
        case .cancelled: .cancelled
        }
    }
}
