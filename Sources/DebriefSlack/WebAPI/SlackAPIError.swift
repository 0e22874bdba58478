/// A Slack Web API call that did not succeed, after any retries.
///
/// Descriptions name the method's outcome and Slack's error code, never the token or the request body.
public enum SlackAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Slack answered `{"ok": false, "error": code}`; `needed` is the missing scope for `missing_scope`.
    case platform(code: String, needed: String?)
    /// Still rate limited after the allowed attempts, or asked to wait longer than the configured cap.
    case rateLimited(retryAfter: Duration?)
    /// A non-2xx status (after retries for 5xx); `code` is Slack's error code when the body had one.
    case http(status: Int, code: String?)
    /// The request never got an HTTP answer (after retries for transient failures).
    case transport(String)
    /// A 2xx answer that was not the JSON object Slack documents.
    case invalidResponse(String)
    /// The calling task was cancelled.
    case cancelled

    /// Slack's error code, when there is one.
    public var code: String? {
        switch self {
        case .platform(let code, _): code
        case .http(_, let code): code
        case .rateLimited: "ratelimited"
        default: nil
        }
    }

    /// The token no longer works: mark the installation invalid (or refresh a rotating token).
    public var isTokenDead: Bool {
        guard let code else { return false }
        return ["invalid_auth", "not_authed", "token_revoked", "account_inactive", "token_expired"].contains(code)
    }

    /// `views.open` came too late or twice for this `trigger_id`; the person must click again.
    public var isTriggerExpired: Bool {
        code == "expired_trigger_id" || code == "exchanged_trigger_id"
    }

    public var description: String {
        switch self {
        case .platform(let code, let needed):
            if let needed { return "Slack returned \(code) (needs scope \(needed))" }
            return "Slack returned \(code)"
        case .rateLimited(let retryAfter):
            if let retryAfter { return "Slack rate limited the call (retry after \(retryAfter))" }
            return "Slack rate limited the call"
        case .http(let status, let code):
            if let code { return "Slack answered HTTP \(status) (\(code))" }
            return "Slack answered HTTP \(status)"
        case .transport(let reason): return "could not reach Slack: \(reason)"
        case .invalidResponse(let reason): return "unexpected answer from Slack: \(reason)"
        case .cancelled: return "the call to Slack was cancelled"
        }
    }
}
