import Foundation

/// The unverified outer shape of an inbound bearer token: the compact JWS string and the two header fields needed
/// to pick a key. Nothing here is trusted until the signature has been checked.
struct BearerToken: Sendable {
    /// The compact serialization, `header.payload.signature`.
    var compact: String
    /// `alg` from the header.
    var algorithm: String
    /// `kid` from the header, when present.
    var keyID: String?

    /// Tokens longer than this are refused before decoding (Bot Framework tokens are about 1.5 KB).
    static let maximumLength = 16 * 1024

    /// Parses `Authorization: Bearer <jwt>`: exactly the scheme `Bearer`, one space, and a token of three non-empty
    /// base64url parts (the last may be empty) whose first part is a JSON object with a string `alg`.
    static func parse(authorization: String?) -> Result<BearerToken, BotFrameworkAuthFailure> {
        guard let authorization else { return .failure(.missingAuthorization) }
        let parts = authorization.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "Bearer", !parts[1].isEmpty else {
            return .failure(.malformedAuthorization)
        }
        let compact = String(parts[1])
        guard compact.utf8.count <= maximumLength else { return .failure(.malformedToken) }
        let segments = compact.split(separator: ".", omittingEmptySubsequences: false)
        // The signature may be empty (`alg: none`): such a token is refused by its algorithm, not as malformed.
        guard segments.count == 3, !segments[0].isEmpty, !segments[1].isEmpty, segments.allSatisfy(isBase64URL),
            let headerData = base64URLDecode(segments[0]),
            let header = try? JSONDecoder().decode(Header.self, from: headerData)
        else {
            return .failure(.malformedToken)
        }
        return .success(BearerToken(compact: compact, algorithm: header.alg, keyID: header.kid))
    }

    private struct Header: Decodable {
        var alg: String
        var kid: String?
    }

    private static func isBase64URL(_ segment: Substring) -> Bool {
        segment.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default: false
            }
        }
    }

    /// Unpadded base64url (RFC 7515 §2) to bytes.
    static func base64URLDecode(_ segment: Substring) -> Data? {
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = base64.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { base64 += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: base64)
    }
}
