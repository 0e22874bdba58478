/// Why an inbound request failed Slack signature verification.
///
/// Descriptions are for operators reading logs: they say what to check and never contain the secret,
/// the signature or the body.
public enum SlackSignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingTimestamp
    case missingSignature
    case malformedTimestamp
    /// Positive: the request is older than `now`; negative: it claims to come from the future.
    case timestampOutOfRange(secondsFromNow: Int64)
    case unsupportedVersion
    case malformedSignature
    case mismatch

    public var description: String {
        switch self {
        case .missingTimestamp:
            "X-Slack-Request-Timestamp header is missing; the request did not come from Slack or a proxy dropped it"
        case .missingSignature:
            "X-Slack-Signature header is missing; the request did not come from Slack or a proxy dropped it"
        case .malformedTimestamp:
            "X-Slack-Request-Timestamp is not a whole number of seconds"
        case .timestampOutOfRange(let seconds) where seconds >= 0:
            "request timestamp is \(seconds) s old; Slack requests older than 300 s are rejected as possible replays (if this happens for every request, check the server clock)"
        case .timestampOutOfRange(let seconds):
            "request timestamp is \(-seconds) s in the future; more than 300 s of skew is rejected (check the server clock)"
        case .unsupportedVersion:
            "X-Slack-Signature does not start with v0=, the only signature version Slack uses"
        case .malformedSignature:
            "X-Slack-Signature is not v0= followed by 64 lowercase hex digits"
        case .mismatch:
            "X-Slack-Signature does not match the body; check that the configured signing secret is this Slack app's and that nothing re-encodes the body before verification"
        }
    }
}
