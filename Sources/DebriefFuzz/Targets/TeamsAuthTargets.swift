import DebriefCore
import DebriefTeams
import Foundation

extension FuzzTarget {
    /// `Authorization` on `POST /api/messages`, read before any signature is checked. The first byte picks the
    /// form: even, the whole header value as sent; odd, the rest is a JWT header's JSON, sent as
    /// `Bearer <header>.e30.<signature>` so the fuzzer reaches the header decoding directly.
    static let teamsBearer = FuzzTarget(
        name: "teams-bearer",
        summary: "BearerToken.parse on Authorization headers and JWT headers (before the signature check)"
    ) { input in
        let (selector, rest) = input.selector
        let authorization =
            selector % 2 == 0 ? rest.text : "Bearer " + TeamsBearerOracle.base64URL(rest.bytes) + ".e30.c2ln"
        let result = BearerToken.parse(authorization: authorization)
        switch result {
        case .success(let token):
            guard let expected = TeamsBearerOracle.expected(authorization) else {
                FuzzExpect.that(false, "a bearer token is accepted only as `Bearer <three base64url parts>`")
                return
            }
            FuzzExpect.that(token.compact == expected.compact, "the token is the header's value after `Bearer `")
            if let header = expected.header {
                FuzzExpect.that(token.algorithm == header.alg, "alg is the header's alg")
                FuzzExpect.that(token.keyID == header.kid, "kid is the header's kid")
            }
        case .failure(let failure):
            FuzzExpect.that(
                [.malformedAuthorization, .malformedToken].contains(failure), "a present header is refused as malformed"
            )
            if let expected = TeamsBearerOracle.expected(authorization), expected.canonical {
                FuzzExpect.that(
                    expected.header == nil, "a well-formed token with a JSON header and a string alg is read")
                FuzzExpect.that(failure == .malformedToken, "a token of the right shape is refused as a token")
            }
            TeamsBearerOracle.checkDescription(failure)
        }
        if case .failure(let missing) = BearerToken.parse(authorization: nil) {
            FuzzExpect.that(missing == .missingAuthorization, "no header is refused as missing")
        } else {
            FuzzExpect.that(false, "no header, no token")
        }
    }

    /// The two documents fetched from Microsoft (untrusted: a proxy or a poisoned cache can change them) and the
    /// token claims jwt-kit decodes. The first byte picks: 0 mod 3 the OpenID metadata, 1 the JWKS, 2 the claims.
    static let teamsAuthDocuments = FuzzTarget(
        name: "teams-auth-documents",
        summary: "OpenID metadata (jwks_uri), the JWKS signing keys, and the Bot Framework token claims"
    ) { input in
        let (selector, rest) = input.selector
        switch selector % 3 {
        case 0:
            for metadataURL in [
                "https://login.botframework.com/v1/.well-known/openidconfiguration", "http://127.0.0.1/m",
            ] {
                guard let url = BotFrameworkKeyDocuments.keySetURL(fromMetadata: rest.data, metadataURL: metadataURL)
                else { continue }
                let lowered = url.lowercased()
                FuzzExpect.that(
                    lowered.hasPrefix("https://") || (lowered.hasPrefix("http://") && metadataURL.hasPrefix("http://")),
                    "keys are fetched over https unless the metadata itself came over plain http")
            }
        case 1:
            guard let keySet = try? JSONDecoder().decode(BotFrameworkKeyDocuments.KeySet.self, from: rest.data) else {
                return
            }
            for entry in keySet.keys.prefix(4) {
                guard let usable = BotFrameworkKeyDocuments.verifiableKey(entry) else { continue }
                FuzzExpect.that(entry.kty == "RSA", "only RSA keys verify Bot Framework tokens")
                FuzzExpect.that(entry.use == nil || entry.use == "sig", "only signing keys are used")
                FuzzExpect.that(entry.alg == nil || entry.alg == "RS256", "only RS256 keys are used")
                FuzzExpect.that(!usable.kid.isEmpty && usable.kid == entry.kid, "a usable key has its own kid")
            }
        default:
            // The plain JSON reading is the oracle; it refuses what a typed decoder skips unread (a bad unknown field).
            guard let claims = try? JSONDecoder().decode(BotFrameworkClaims.self, from: rest.data),
                let object = try? JSONDecoder().decode(JSONValue.self, from: rest.data)
            else { return }
            if let exp = claims.exp { FuzzExpect.that(exp.isFinite, "exp is a finite number") }
            if let nbf = claims.nbf { FuzzExpect.that(nbf.isFinite, "nbf is a finite number") }
            switch object["aud"] {
            case .string(let audience)?:
                FuzzExpect.that(claims.aud == .one(audience), "a string aud is that one audience")
                FuzzExpect.that(claims.aud?.contains(audience) == true, "an audience contains itself")
            case .array(let values)?:
                let strings = values.compactMap(\.stringValue)
                FuzzExpect.that(claims.aud == .many(strings), "an array aud is those audiences")
                FuzzExpect.that(strings.allSatisfy { claims.aud?.contains($0) == true }, "aud contains each entry")
            case .null?, nil:
                FuzzExpect.that(claims.aud == nil, "no aud, no audience")
            default:
                FuzzExpect.that(false, "an aud that is neither a string nor strings is refused")
            }
        }
    }
}

/// An independent reading of `Bearer <jwt>`, to check ``BearerToken/parse(authorization:)`` against.
enum TeamsBearerOracle {
    struct Expected {
        var compact: String
        /// The header when it is a JSON object with a string `alg` and a string (or absent) `kid`.
        var header: (alg: String, kid: String?)?
        /// Every part decodes to bytes that encode back to it (no stray bits a decoder may accept or refuse).
        var canonical: Bool
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Nil unless the value is `Bearer`, one space, and three base64url parts (the first two non-empty) within the
    /// size limit.
    static func expected(_ authorization: String) -> Expected? {
        let bytes = Array(authorization.utf8)
        let prefix = Array("Bearer ".utf8)
        guard bytes.count > prefix.count, Array(bytes.prefix(prefix.count)) == prefix else { return nil }
        let compact = Array(bytes.dropFirst(prefix.count))
        guard compact.count <= BearerToken.maximumLength else { return nil }
        let parts = compact.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map(Array.init)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty,
            parts.allSatisfy({ $0.allSatisfy(alphabet.contains) })
        else { return nil }
        let decoded = parts.map(decode)
        let canonical = zip(parts, decoded).allSatisfy { part, bytes in
            bytes.map(base64URL) == String(decoding: part, as: UTF8.self)
        }
        var header: (alg: String, kid: String?)?
        if let headerBytes = decoded[0], let json = try? JSONDecoder().decode(JSONValue.self, from: Data(headerBytes)),
            let alg = json["alg"]?.stringValue
        {
            switch json["kid"] {
            case nil, .null?: header = (alg, nil)
            case .string(let kid)?: header = (alg, kid)
            default: header = nil
            }
        }
        return Expected(compact: String(decoding: compact, as: UTF8.self), header: header, canonical: canonical)
    }

    /// Unpadded base64url decoding, written out so it shares nothing with the parser's.
    static func decode(_ part: [UInt8]) -> [UInt8]? {
        guard part.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in part {
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            buffer = (buffer << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return output
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(16 - 8 * $1.offset) }
            for position in 0...chunk.count {
                output.append(alphabet[Int((value >> UInt32(18 - 6 * position)) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Refusals are logged and counted: fixed words and a snake-case reason, nothing from the token.
    static func checkDescription(_ failure: BotFrameworkAuthFailure) {
        FuzzExpect.that(!failure.description.isEmpty && failure.description.utf8.count <= 100, "a refusal is short")
        FuzzExpect.that(
            !failure.reason.isEmpty && failure.reason.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x5f },
            "a refusal's metric label is snake case")
    }
}
