import Foundation
import JWTKit

/// The two documents Microsoft publishes for Connector tokens, decoded leniently: the OpenID metadata (only
/// `jwks_uri` is used) and the JWKS, whose RSA keys carry an extra `endorsements` array.
package enum BotFrameworkKeyDocuments {
    package struct OpenIDMetadata: Decodable {
        package var jwksURI: String

        enum CodingKeys: String, CodingKey {
            case jwksURI = "jwks_uri"
        }
    }

    package struct KeySet: Decodable {
        package var keys: [Key]
    }

    /// One JWK; every field optional so one odd entry does not hide the others.
    package struct Key: Decodable {
        package var kty: String?
        package var use: String?
        package var kid: String?
        package var alg: String?
        package var n: String?
        package var e: String?
        package var endorsements: [String]?
    }

    /// The `jwks_uri` from the metadata, which must be https unless the metadata itself came over plain http
    /// (loopback tests); nil when the document is not usable.
    package static func keySetURL(fromMetadata body: Data, metadataURL: String) -> String? {
        guard let metadata = try? JSONDecoder().decode(OpenIDMetadata.self, from: body) else { return nil }
        let url = metadata.jwksURI
        if url.lowercased().hasPrefix("https://") { return url }
        if url.lowercased().hasPrefix("http://"), metadataURL.lowercased().hasPrefix("http://") { return url }
        return nil
    }

    /// The usable signing keys of a JWKS: RSA, for signatures, RS256 when an `alg` is given, with a `kid`, a modulus
    /// jwt-kit accepts (at least 2048 bits) and an exponent. Returns the keys and how many entries were skipped.
    static func signingKeys(fromKeySet body: Data) async -> (keys: [String: BotFrameworkSigningKey], skipped: Int)? {
        guard let keySet = try? JSONDecoder().decode(KeySet.self, from: body) else { return nil }
        var keys: [String: BotFrameworkSigningKey] = [:]
        var skipped = 0
        for entry in keySet.keys {
            guard let usable = verifiableKey(entry) else {
                skipped += 1
                continue
            }
            let kid = usable.kid
            let verifier = JWTKeyCollection()
            await verifier.add(rsa: usable.publicKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
            keys[kid] = BotFrameworkSigningKey(
                keyID: kid, verifier: verifier, endorsements: Set(entry.endorsements ?? []))
        }
        return (keys, skipped)
    }

    /// The entry's `kid` and RSA public key when it is a usable signing key (see ``signingKeys(fromKeySet:)``), nil
    /// otherwise. Separate from building the key collection so the checks can run synchronously (the fuzz target).
    package static func verifiableKey(_ entry: Key) -> (kid: String, publicKey: Insecure.RSA.PublicKey)? {
        guard entry.kty == "RSA", entry.use == nil || entry.use == "sig", entry.alg == nil || entry.alg == "RS256",
            let kid = entry.kid, !kid.isEmpty, let modulus = entry.n, let exponent = entry.e,
            let publicKey = try? Insecure.RSA.PublicKey(modulus: modulus, exponent: exponent)
        else { return nil }
        return (kid, publicKey)
    }
}
