import DebriefHTTP
import Foundation
import JWTKit
import Logging
import Metrics

/// Authenticates inbound Bot Framework requests (`POST /api/messages`): the `Authorization` header's JWT must be
/// one the Bot Connector minted for this bot (reference `teams.md` §2.2).
///
/// Checks, in order, each refused with its own ``BotFrameworkAuthFailure``:
/// 1. the header is exactly `Bearer <jwt>` and the token a well-formed compact JWS;
/// 2. `alg` is `RS256` — nothing else, so `none` and `HS256` (including HS256 "signed" with the published RSA key
///    as the HMAC secret) are refused before a key is touched;
/// 3. the header's `kid` names a published key (refetching the key set, rate-limited, when it does not);
/// 4. the signature verifies with that key (jwt-kit's RSA verification, PKCS#1 v1.5 with SHA-256);
/// 5. `iss` is ``BotFrameworkAuthSettings/issuer``;
/// 6. `aud` is ``BotFrameworkAuthSettings/appID`` exactly. The `api://<appID>` and `api://botid-<appID>` forms that
///    Microsoft's Teams SDK also accepts are refused: that SDK shares one validator with Entra-issued tokens, while
///    Connector tokens carry the bare App ID (bot-docs and botbuilder's `ChannelValidation`);
/// 7. `exp` is present and not past, `nbf` (when present) reached, both with
///    ``BotFrameworkAuthSettings/clockSkew`` of leeway, by the injected clock.
///
/// The endorsement and `serviceurl` checks need the activity and happen in ``VerifiedBotToken/admits(channelID:serviceURL:)``.
/// Every refusal counts in `debrief_teams_auth_failures_total{reason}`.
///
/// Cheap per request: a cached key is a dictionary lookup under a lock plus one RSA verification; keys are parsed
/// into jwt-kit collections once per fetch.
///
/// - Important: Never logs tokens, claim values or keys; only the reason of a refusal.
public struct BotFrameworkAuthenticator: Sendable {
    private let settings: BotFrameworkAuthSettings
    private let keys: BotFrameworkKeySource
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let metrics: BotFrameworkAuthMetrics

    /// - Parameters:
    ///   - http: Fetches the OpenID metadata and the key set (production: the curl client).
    ///   - now: The clock for `exp`, `nbf` and the key cache's age.
    ///   - metricsFactory: Where the failure counter is created; nil uses the bootstrapped `MetricsSystem`.
    public init(
        settings: BotFrameworkAuthSettings, http: any HTTPClient, now: @escaping @Sendable () -> Date,
        logger: Logger, metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.settings = settings
        self.keys = BotFrameworkKeySource(settings: settings, http: http, now: now, logger: logger)
        self.now = now
        self.logger = logger
        self.metrics = BotFrameworkAuthMetrics(factory: metricsFactory)
    }

    /// Checks the `Authorization` header of an inbound request (see the type's documentation for the checks).
    /// The recommended answer to a failure is 401.
    public func authenticate(authorization: String?) async -> Result<VerifiedBotToken, BotFrameworkAuthFailure> {
        let result = await verify(authorization: authorization)
        if case .failure(let failure) = result {
            metrics.record(failure)
            logger.debug("Refused a Bot Framework token", metadata: ["reason": "\(failure.reason)"])
        }
        return result
    }

    /// Fetches the signing keys now unless fresh ones are cached, so the first activity does not wait for Microsoft.
    /// Failures are logged and retried on demand.
    public func prefetchKeys() async {
        await keys.prefetch()
    }

    private func verify(authorization: String?) async -> Result<VerifiedBotToken, BotFrameworkAuthFailure> {
        let token: BearerToken
        switch BearerToken.parse(authorization: authorization) {
        case .success(let parsed): token = parsed
        case .failure(let failure): return .failure(failure)
        }
        guard token.algorithm == "RS256" else { return .failure(.unsupportedAlgorithm) }
        guard let keyID = token.keyID, !keyID.isEmpty else { return .failure(.missingKeyID) }

        let key: BotFrameworkSigningKey
        switch await keys.key(for: keyID) {
        case .found(let found): key = found
        case .unknown: return .failure(.unknownKey)
        case .unavailable: return .failure(.keysUnavailable)
        }

        let claims: BotFrameworkClaims
        do {
            claims = try await key.verifier.verify(token.compact, as: BotFrameworkClaims.self)
        } catch let error as JWTError where error.errorType == .malformedToken {
            return .failure(.malformedToken)
        } catch {
            return .failure(.badSignature)
        }

        guard claims.iss == settings.issuer else { return .failure(.wrongIssuer) }
        guard !settings.appID.isEmpty, claims.aud?.contains(settings.appID) == true else {
            return .failure(.wrongAudience)
        }
        guard let expires = claims.exp else { return .failure(.missingExpiry) }
        let now = self.now().timeIntervalSince1970
        let skew = settings.clockSkew.timeInterval
        guard now < expires + skew else { return .failure(.expired) }
        if let notBefore = claims.nbf, now + skew < notBefore { return .failure(.notYetValid) }

        return .success(
            VerifiedBotToken(serviceURL: claims.serviceurl, endorsements: key.endorsements, metrics: metrics))
    }
}
