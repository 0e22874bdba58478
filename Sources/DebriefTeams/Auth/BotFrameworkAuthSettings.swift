import Foundation

/// Where the Bot Framework's signing keys come from and what an inbound token must say (reference `teams.md` §2.1).
///
/// The defaults are the public cloud's; sovereign clouds (US Gov: issuer `https://api.botframework.us`, metadata on
/// `login.botframework.azure.us`) and the tests override ``openIDMetadataURL`` and ``issuer``.
public struct BotFrameworkAuthSettings: Sendable {
    /// The public cloud's OpenID metadata document, which names the JWKS (`jwks_uri`).
    public static let publicCloudOpenIDMetadataURL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
    /// The `iss` of every Connector → bot token in the public cloud.
    public static let publicCloudIssuer = "https://api.botframework.com"

    /// The bot's Microsoft App ID (`MicrosoftAppId`): the one `aud` accepted.
    public var appID: String
    /// The OpenID metadata document; its `jwks_uri` must be https unless this URL itself is plain http (loopback
    /// tests, local development).
    public var openIDMetadataURL: String
    /// The one `iss` accepted.
    public var issuer: String
    /// Leeway on `exp` and `nbf` for clocks that disagree (Microsoft's SDKs use 5 minutes).
    public var clockSkew: Duration
    /// A token signed with a key id the cache does not know triggers a refetch of the keys, but at most once per this
    /// interval, so a stream of made-up key ids cannot make Debrief hammer Microsoft. The same interval spaces
    /// retries after a failed fetch.
    public var unknownKeyRefreshInterval: Duration
    /// Keys older than this are refetched before use (Microsoft asks for at least daily); when the refetch fails the
    /// old keys keep working.
    public var maximumKeyAge: Duration
    /// Timeout of each of the two fetches (metadata, keys).
    public var fetchTimeout: Duration

    public init(
        appID: String,
        openIDMetadataURL: String = BotFrameworkAuthSettings.publicCloudOpenIDMetadataURL,
        issuer: String = BotFrameworkAuthSettings.publicCloudIssuer,
        clockSkew: Duration = .seconds(300),
        unknownKeyRefreshInterval: Duration = .seconds(300),
        maximumKeyAge: Duration = .seconds(24 * 60 * 60),
        fetchTimeout: Duration = .seconds(10)
    ) {
        self.appID = appID
        self.openIDMetadataURL = openIDMetadataURL
        self.issuer = issuer
        self.clockSkew = clockSkew
        self.unknownKeyRefreshInterval = unknownKeyRefreshInterval
        self.maximumKeyAge = maximumKeyAge
        self.fetchTimeout = fetchTimeout
    }
}

extension Duration {
    /// The duration in seconds, for arithmetic with `Date`.
    var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
