/// Why an inbound Bot Framework request was refused: one case per check, so the metric
/// `debrief_teams_auth_failures_total{reason}` tells an operator which check fails (an outage of Microsoft's key
/// endpoint looks different from a wrong App ID or a clock that drifted).
///
/// - Important: Cases carry no token, claim value or key material, so they are safe to log.
public enum BotFrameworkAuthFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `Authorization` header.
    case missingAuthorization
    /// The header is not exactly `Bearer <token>`.
    case malformedAuthorization
    /// The token is not a compact JWS (three base64url parts, a JSON header) or its claims are not JSON.
    case malformedToken
    /// `alg` is not `RS256` (`none`, `HS256`, … are refused before any key is looked at).
    case unsupportedAlgorithm
    /// The header has no `kid`.
    case missingKeyID
    /// No published key has the token's `kid`, even after the rate-limited refetch.
    case unknownKey
    /// No keys could be fetched yet (the metadata or key endpoint failed), so nothing can be verified.
    case keysUnavailable
    /// The signature does not verify with the key named by `kid`.
    case badSignature
    /// `iss` is missing or not the configured issuer.
    case wrongIssuer
    /// `aud` is missing or not the bot's App ID.
    case wrongAudience
    /// The token has no `exp`.
    case missingExpiry
    /// `exp` is more than the clock skew in the past.
    case expired
    /// `nbf` is more than the clock skew in the future.
    case notYetValid
    /// The activity's `channelId` is missing or the signing key is not endorsed for it.
    case channelNotEndorsed
    /// The token has no `serviceurl` claim.
    case missingServiceURL
    /// The activity's `serviceUrl` is missing or differs from the token's `serviceurl` claim.
    case serviceURLMismatch

    /// Every case, for creating the metric handles once.
    static let all: [BotFrameworkAuthFailure] = [
        .missingAuthorization, .malformedAuthorization, .malformedToken, .unsupportedAlgorithm, .missingKeyID,
        .unknownKey, .keysUnavailable, .badSignature, .wrongIssuer, .wrongAudience, .missingExpiry, .expired,
        .notYetValid, .channelNotEndorsed, .missingServiceURL, .serviceURLMismatch,
    ]

    /// The `reason` label of `debrief_teams_auth_failures_total`, in snake case.
    public var reason: String {
        switch self {
        case .missingAuthorization: "missing_authorization"
        case .malformedAuthorization: "malformed_authorization"
        case .malformedToken: "malformed_token"
        case .unsupportedAlgorithm: "unsupported_algorithm"
        case .missingKeyID: "missing_kid"
        case .unknownKey: "unknown_kid"
        case .keysUnavailable: "keys_unavailable"
        case .badSignature: "bad_signature"
        case .wrongIssuer: "wrong_issuer"
        case .wrongAudience: "wrong_audience"
        case .missingExpiry: "missing_exp"
        case .expired: "expired"
        case .notYetValid: "not_yet_valid"
        case .channelNotEndorsed: "channel_not_endorsed"
        case .missingServiceURL: "missing_serviceurl"
        case .serviceURLMismatch: "serviceurl_mismatch"
        }
    }

    public var description: String {
        switch self {
        case .missingAuthorization: "no Authorization header"
        case .malformedAuthorization: "the Authorization header is not \"Bearer <token>\""
        case .malformedToken: "the bearer token is not a well-formed JWT"
        case .unsupportedAlgorithm: "the token is not signed with RS256"
        case .missingKeyID: "the token header has no kid"
        case .unknownKey: "the token's kid is not among the Bot Framework's published keys"
        case .keysUnavailable: "the Bot Framework signing keys could not be fetched"
        case .badSignature: "the token's signature does not verify"
        case .wrongIssuer: "the token's issuer is not the Bot Framework"
        case .wrongAudience: "the token is not addressed to this bot's App ID"
        case .missingExpiry: "the token has no expiry"
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet"
        case .channelNotEndorsed: "the signing key is not endorsed for the activity's channelId"
        case .missingServiceURL: "the token has no serviceurl claim"
        case .serviceURLMismatch: "the activity's serviceUrl does not match the token's serviceurl claim"
        }
    }
}
