import Crypto
import CryptoExtras
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// A loopback stand-in for the Bot Framework's token issuer (`login.botframework.com`): it publishes OpenID
/// metadata and a JWKS whose keys carry `endorsements`, and mints Connector → bot tokens the way the Bot Connector
/// does (RS256, `kid` and `x5t` in the header, `iss`/`aud`/`nbf`/`exp`/`serviceurl` claims; reference `teams.md`
/// §2.1), plus deliberately bad ones for the attacks a validator must refuse.
///
/// Tokens are assembled here from the documented wire shape (CryptoExtras signs), independently of Debrief's
/// validator and of jwt-kit's signing, so a shared misunderstanding cannot hide. It counts the fetches of each
/// document, can rotate keys and can pretend to be down, for refresh tests.
///
/// ``register(on:)`` adds its two routes to any router (the combined fake Teams server mounts them);
/// ``start(logger:)`` runs it alone on 127.0.0.1 with an ephemeral port.
public final class FakeBotFrameworkIssuer: Sendable {
    /// The public cloud issuer, the default `iss`.
    public static let defaultIssuer = "https://api.botframework.com"
    /// Where the OpenID metadata is served.
    public static let metadataPath = "/v1/.well-known/openidconfiguration"
    /// Where the JWKS is served (`jwks_uri` of the metadata).
    public static let keysPath = "/v1/.well-known/keys"

    /// One RSA key of the issuer.
    public struct Key: Sendable {
        public let kid: String
        /// The channel ids the key is endorsed for, served in its JWK's `endorsements`.
        public var endorsements: [String]
        /// Whether the JWKS lists the key.
        public var published: Bool
        let privateKey: _RSA.Signing.PrivateKey

        /// The public key as SPKI PEM (what an HS256 key-confusion attack uses as the secret).
        public var publicKeyPEM: String { privateKey.publicKey.pemRepresentation }
    }

    /// Which of the two documents to count or to make fail.
    public enum Document: Sendable, Hashable {
        case metadata
        case keys
    }

    /// The claims of a token; nil leaves a claim out.
    public struct Claims: Sendable {
        public var audience: String?
        public var serviceURL: String?
        public var issuer: String?
        public var issuedAt: Date?
        public var notBefore: Date?
        public var expires: Date?
        /// Further string claims (`appid`, `ver`, …).
        public var extra: [String: String]

        public init(
            audience: String?, serviceURL: String?, issuer: String? = FakeBotFrameworkIssuer.defaultIssuer,
            issuedAt: Date?, notBefore: Date?, expires: Date?, extra: [String: String] = [:]
        ) {
            self.audience = audience
            self.serviceURL = serviceURL
            self.issuer = issuer
            self.issuedAt = issuedAt
            self.notBefore = notBefore
            self.expires = expires
            self.extra = extra
        }

        /// A token as the Connector mints it at `issuedAt`: valid from 5 minutes before, for an hour.
        public static func connector(audience: String, serviceURL: String?, issuedAt: Date) -> Claims {
            Claims(
                audience: audience, serviceURL: serviceURL, issuedAt: issuedAt,
                notBefore: issuedAt.addingTimeInterval(-300), expires: issuedAt.addingTimeInterval(3600))
        }
    }

    /// How a token is signed; every case but ``rs256(kid:)`` is an attack a validator must refuse.
    public enum Signing: Sendable {
        /// RS256 with the issuer's key `kid` (nil: the current key). Valid when that key is published.
        case rs256(kid: String?)
        /// `alg: none`, empty signature; the header still names a published `kid`.
        case none(kid: String?)
        /// HS256 with the key's SPKI PEM as the HMAC secret (RS/HS key confusion).
        case hs256WithPublicKeyPEM(kid: String?)
        /// HS256 with the key's JWK, exactly as served in the JWKS, as the HMAC secret.
        case hs256WithPublicKeyJWK(kid: String?)
        /// RS256 with a key the issuer never publishes, while the header names the published `kid` (nil: current).
        case unpublishedKey(claimingKid: String?)
        /// RS256 with a key the issuer never publishes, under a `kid` the JWKS does not list.
        case unknownKid(String)
    }

    public enum FakeIssuerError: Error, CustomStringConvertible {
        case unknownKey(String)
        case couldNotStart

        public var description: String {
            switch self {
            case .unknownKey(let kid): "FakeBotFrameworkIssuer has no key \(kid)"
            case .couldNotStart: "FakeBotFrameworkIssuer could not bind to 127.0.0.1"
            }
        }
    }

    struct State {
        var keys: [Key]
        var currentKid: String
        /// Signs ``Signing/unpublishedKey(claimingKid:)`` and ``Signing/unknownKid(_:)`` tokens; made on first use.
        var rogueKey: _RSA.Signing.PrivateKey?
        var fetches: [Document: Int] = [:]
        var failing: [Document: HTTPResponse.Status] = [:]
        var issuer: String
    }

    let state: Mutex<State>

    /// Creates an issuer with one fresh 2048-bit key `kid`, endorsed for `endorsements`.
    public init(
        kid: String = "fake-key-1", endorsements: [String] = ["msteams"],
        issuer: String = FakeBotFrameworkIssuer.defaultIssuer
    ) throws {
        let key = Key(
            kid: kid, endorsements: endorsements, published: true,
            privateKey: try _RSA.Signing.PrivateKey(keySize: .bits2048))
        state = Mutex(State(keys: [key], currentKid: kid, issuer: issuer))
    }

    // MARK: - Keys

    /// Adds a fresh key; it signs new tokens when `makeCurrent`.
    public func addKey(
        kid: String, endorsements: [String] = ["msteams"], published: Bool = true, makeCurrent: Bool = false
    ) throws {
        let key = Key(
            kid: kid, endorsements: endorsements, published: published,
            privateKey: try _RSA.Signing.PrivateKey(keySize: .bits2048))
        state.withLock { state in
            state.keys.removeAll { $0.kid == kid }
            state.keys.append(key)
            if makeCurrent { state.currentKid = kid }
        }
    }

    /// Rotates the way Microsoft does: a fresh key `kid` becomes current; the old keys stay published unless
    /// `retireOthers`.
    public func rotate(to kid: String, endorsements: [String] = ["msteams"], retireOthers: Bool = false) throws {
        try addKey(kid: kid, endorsements: endorsements, makeCurrent: true)
        if retireOthers {
            state.withLock { state in
                for index in state.keys.indices where state.keys[index].kid != kid {
                    state.keys[index].published = false
                }
            }
        }
    }

    /// Lists or hides a key in the JWKS.
    public func setPublished(_ published: Bool, kid: String) throws {
        try state.withLock { state in
            guard let index = state.keys.firstIndex(where: { $0.kid == kid }) else {
                throw FakeIssuerError.unknownKey(kid)
            }
            state.keys[index].published = published
        }
    }

    /// Changes what a key is endorsed for.
    public func setEndorsements(_ endorsements: [String], kid: String) throws {
        try state.withLock { state in
            guard let index = state.keys.firstIndex(where: { $0.kid == kid }) else {
                throw FakeIssuerError.unknownKey(kid)
            }
            state.keys[index].endorsements = endorsements
        }
    }

    /// The key that signs tokens by default.
    public var currentKid: String { state.withLock { $0.currentKid } }

    /// Every key, published or not.
    public var keys: [Key] { state.withLock { $0.keys } }

    /// The `issuer` the metadata names.
    public var issuer: String { state.withLock { $0.issuer } }

    // MARK: - Availability and counts

    /// Answers requests for `document` with `status` (e.g. 503) until called again with nil.
    public func setFailing(_ document: Document, status: HTTPResponse.Status?) {
        state.withLock { $0.failing[document] = status }
    }

    /// Both documents fail with 503 (`down`) or are served again.
    public func setDown(_ down: Bool) {
        setFailing(.metadata, status: down ? .serviceUnavailable : nil)
        setFailing(.keys, status: down ? .serviceUnavailable : nil)
    }

    /// How often `document` was requested, failed requests included.
    public func fetchCount(_ document: Document) -> Int {
        state.withLock { $0.fetches[document, default: 0] }
    }

    // MARK: - Tokens

    /// A valid RS256 Connector token signed with `kid` (nil: the current key).
    public func token(
        audience: String, serviceURL: String?, issuer: String = FakeBotFrameworkIssuer.defaultIssuer,
        issuedAt: Date, notBefore: Date? = nil, expires: Date? = nil, kid: String? = nil
    ) throws -> String {
        try token(
            Claims(
                audience: audience, serviceURL: serviceURL, issuer: issuer, issuedAt: issuedAt,
                notBefore: notBefore ?? issuedAt.addingTimeInterval(-300),
                expires: expires ?? issuedAt.addingTimeInterval(3600)),
            signing: .rs256(kid: kid))
    }

    /// A token with these claims, signed (or mis-signed) as `signing` says.
    public func token(_ claims: Claims, signing: Signing = .rs256(kid: nil)) throws -> String {
        let payload = Self.base64URL(try Self.json(claims.jsonObject))
        switch signing {
        case .rs256(let kid):
            let key = try self.key(kid)
            return try Self.rs256(payload: payload, kid: key.kid, privateKey: key.privateKey)
        case .none(let kid):
            let key = try self.key(kid)
            let header = Self.base64URL(try Self.json(["alg": "none", "typ": "JWT", "kid": key.kid]))
            return "\(header).\(payload)."
        case .hs256WithPublicKeyPEM(let kid):
            let key = try self.key(kid)
            return try Self.hs256(payload: payload, kid: key.kid, secret: Data(key.publicKeyPEM.utf8))
        case .hs256WithPublicKeyJWK(let kid):
            let key = try self.key(kid)
            return try Self.hs256(payload: payload, kid: key.kid, secret: try Self.json(try Self.jwk(key)))
        case .unpublishedKey(let claimingKid):
            let key = try self.key(claimingKid)
            return try Self.rs256(payload: payload, kid: key.kid, privateKey: try rogueKey())
        case .unknownKid(let kid):
            return try Self.rs256(payload: payload, kid: kid, privateKey: try rogueKey())
        }
    }

    private func key(_ kid: String?) throws -> Key {
        try state.withLock { state in
            let wanted = kid ?? state.currentKid
            guard let key = state.keys.first(where: { $0.kid == wanted }) else {
                throw FakeIssuerError.unknownKey(wanted)
            }
            return key
        }
    }

    private func rogueKey() throws -> _RSA.Signing.PrivateKey {
        if let existing = state.withLock({ $0.rogueKey }) { return existing }
        let fresh = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        return state.withLock { state in
            if let existing = state.rogueKey { return existing }
            state.rogueKey = fresh
            return fresh
        }
    }

    private static func rs256(payload: String, kid: String, privateKey: _RSA.Signing.PrivateKey) throws -> String {
        let header = base64URL(
            try json(["alg": "RS256", "typ": "JWT", "kid": kid, "x5t": try thumbprint(privateKey.publicKey)]))
        let signingInput = "\(header).\(payload)"
        let signature = try privateKey.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
        return "\(signingInput).\(base64URL(signature.rawRepresentation))"
    }

    private static func hs256(payload: String, kid: String, secret: Data) throws -> String {
        let header = base64URL(try json(["alg": "HS256", "typ": "JWT", "kid": kid]))
        let signingInput = "\(header).\(payload)"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: secret))
        return "\(signingInput).\(base64URL(Data(mac)))"
    }

    // MARK: - Documents

    /// The OpenID metadata, shaped like Microsoft's, with `jwks_uri` on `baseURL`.
    func metadataDocument(baseURL: String) throws -> Data {
        try Self.json([
            "issuer": issuer,
            "authorization_endpoint": "https://invalid.botframework.com",
            "jwks_uri": baseURL + Self.keysPath,
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        ])
    }

    /// The JWKS: the published keys with `kty`, `use`, `kid`, `x5t`, `n`, `e` and `endorsements`.
    func keysDocument() throws -> Data {
        let published = keys.filter(\.published)
        return try Self.json(["keys": try published.map { try Self.jwk($0) }])
    }

    private static func jwk(_ key: Key) throws -> [String: Any] {
        let primitives = try key.privateKey.publicKey.getKeyPrimitives()
        return [
            "kty": "RSA", "use": "sig", "kid": key.kid, "x5t": try thumbprint(key.privateKey.publicKey),
            "n": base64URL(primitives.modulus), "e": base64URL(primitives.publicExponent),
            "endorsements": key.endorsements,
        ]
    }

    /// Stands in for the certificate thumbprint Microsoft sends (there is no certificate here): SHA-1 of the
    /// public key's DER, base64url.
    private static func thumbprint(_ publicKey: _RSA.Signing.PublicKey) throws -> String {
        base64URL(Data(Insecure.SHA1.hash(data: publicKey.derRepresentation)))
    }

    static func json(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension FakeBotFrameworkIssuer.Claims {
    var jsonObject: [String: Any] {
        var object: [String: Any] = extra
        if let audience { object["aud"] = audience }
        if let serviceURL { object["serviceurl"] = serviceURL }
        if let issuer { object["iss"] = issuer }
        if let issuedAt { object["iat"] = Int(issuedAt.timeIntervalSince1970) }
        if let notBefore { object["nbf"] = Int(notBefore.timeIntervalSince1970) }
        if let expires { object["exp"] = Int(expires.timeIntervalSince1970) }
        return object
    }
}
