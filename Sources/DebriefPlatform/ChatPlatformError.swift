/// Why a call to a chat platform did not succeed, in the terms the server acts on.
///
/// Adapters map their own errors (Slack's `{"ok": false, "error": …}`, Bot Framework's HTTP statuses) to
/// these four, so the job worker's choice — wait, give up, try later — is made once for every platform.
/// `code` is the platform's own error code for operators (no personal data, no tokens).
public enum ChatPlatformError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The platform asked to slow down; `retryAfter` is its `Retry-After` when it gave one.
    case rateLimited(retryAfter: Duration?)
    /// Will not succeed when tried again: the person is gone or deactivated, the channel does not exist,
    /// the bot may not write there.
    case refused(code: String)
    /// May succeed later: a timeout, a 5xx, a transport failure, an answer that was not understood.
    case unavailable(code: String)
    /// The calling task was cancelled.
    case cancelled

    /// The platform's error code, as job errors and metrics show it.
    public var code: String {
        switch self {
        case .rateLimited: "ratelimited"
        case .refused(let code), .unavailable(let code): code
        case .cancelled: "cancelled"
        }
    }

    public var description: String {
        switch self {
        case .rateLimited(let retryAfter?): "rate limited (retry after \(retryAfter))"
        case .rateLimited(nil): "rate limited"
        case .refused(let code): "refused (\(code))"
        case .unavailable(let code): "unavailable (\(code))"
        case .cancelled: "cancelled"
        }
    }
}
