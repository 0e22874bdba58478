import Foundation

extension HTTPRequestSpec {
    /// The request URL made safe for logs, metrics-free diagnostics and ``HTTPClientError`` messages.
    ///
    /// Keeps what an operator needs to tell requests apart (scheme, host, port, the shape of the path) and
    /// drops everything that can carry a credential: user info, the query string, the fragment, and path
    /// segments that look like secrets (incoming-webhook URLs for Slack and Teams carry the secret in the
    /// path). A segment is masked as `…` when it is at least 16 characters long and has no `.` (Web API
    /// method names such as `chat.postMessage` keep their dot), or when it is 40 characters or longer.
    ///
    /// - Important: Log this, never ``url``; full URLs may contain tokens.
    public var redactedURL: String {
        Self.redact(url)
    }

    static func redact(_ url: String) -> String {
        var rest = Substring(url)
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            rest = rest[..<cut]
        }
        var scheme: Substring = ""
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.upperBound]
            rest = rest[range.upperBound...]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            authority = authority[authority.index(after: at)...]
        }
        let path = rest[authorityEnd...]
        let maskedPath = path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            let looksSecret = (segment.count >= 16 && !segment.contains(".")) || segment.count >= 40
            return looksSecret ? "…" : String(segment)
        }.joined(separator: "/")
        return String(scheme) + String(authority) + maskedPath
    }
}
