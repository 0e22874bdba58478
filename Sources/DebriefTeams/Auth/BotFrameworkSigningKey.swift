import JWTKit

/// One published Bot Framework signing key, ready to verify: a jwt-kit key collection holding only this RS256 key
/// (built once per fetch, never per request) and the channel ids the key is endorsed for.
struct BotFrameworkSigningKey: Sendable {
    /// The JWK's `kid`.
    var keyID: String
    /// Holds exactly this one key, so jwt-kit can never fall back to another key for a token naming this `kid`.
    var verifier: JWTKeyCollection
    /// The JWK's `endorsements` (channel ids such as `msteams`); jwt-kit's own JWK type drops this field.
    var endorsements: Set<String>
}
