import Foundation
import JWTKit

/// The two documents Microsoft publishes for Connector tokens, decoded leniently: the OpenID metadata (only
/// `jwks_uri` is used) and the JWKS, whose RSA keys carry an extra `endorsements` array.
enum BotFrameworkKeyDocuments {
    struct OpenIDMetadata: Decodable {
        var jwksURI: String

        enum CodingKeys: String, CodingKey {
            case jwksURI = "jwks_uri"
        }
    }

    struct KeySet: Decodable {
        var keys: [Key]
    }

    /// One JWK; every field optional so one odd entry does not hide the others.
    struct Key: Decodable {
        var kty: String?
        var use: String?
        var kid: String?
        var alg: String?
        var n: String?
        var e: String?
        var endorsements: [String]?
    }

    /// The `jwks_uri` from the metadata, which must be https unless the metadata itself came over plain http
    /// (loopback tests); nil when the document is not usable.
    static func keySetURL(fromMetadata body: Data, metadataURL: String) -> String? {
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
            guard entry.kty == "RSA", entry.use == nil || entry.use == "sig", entry.alg == nil || entry.alg == "RS256",
                let kid = entry.kid, !kid.isEmpty, let modulus = entry.n, let exponent = entry.e,
                let publicKey = try? Insecure.RSA.PublicKey(modulus: modulus, exponent: exponent)
            else {
                skipped += 1
                continue
            }
            let verifier = JWTKeyCollection()
            await verifier.add(rsa: publicKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
            keys[kid] = BotFrameworkSigningKey(
                keyID: kid, verifier: verifier, endorsements: Set(entry.endorsements ?? []))
        }
        return (keys, skipped)
    }
}
