import Foundation

/// The unverified outer shape of an inbound bearer token: the compact JWS string and the two header fields needed
/// to pick a key. Nothing here is trusted until the signature has been checked.
package struct BearerToken: Sendable {
    /// The compact serialization, `header.payload.signature`.
    package var compact: String
    /// `alg` from the header.
    package var algorithm: String
    /// `kid` from the header, when present.
    package var keyID: String?

    /// Tokens longer than this are refused before decoding (Bot Framework tokens are about 1.5 KB).
    package static let maximumLength = 16 * 1024

    /// Parses `Authorization: Bearer <jwt>`: exactly the scheme `Bearer`, one space, and a token of three non-empty
    /// base64url parts (the last may be empty) whose first part is a JSON object with a string `alg`.
    ///
    /// Works on UTF-8 bytes, not characters: every activity carries a ~1.5 KB token, and splitting it by grapheme
    /// cost more CPU than checking its signature.
    package static func parse(authorization: String?) -> Result<BearerToken, BotFrameworkAuthFailure> {
        guard let authorization else { return .failure(.missingAuthorization) }
        let scheme = "Bearer ".utf8
        let bytes = authorization.utf8
        guard bytes.starts(with: scheme) else { return .failure(.malformedAuthorization) }
        let token = bytes.dropFirst(scheme.count)
        guard !token.isEmpty, !token.contains(UInt8(ascii: " ")) else { return .failure(.malformedAuthorization) }
        guard token.count <= maximumLength else { return .failure(.malformedToken) }
        let segments = token.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        // The signature may be empty (`alg: none`): such a token is refused by its algorithm, not as malformed.
        guard segments.count == 3, !segments[0].isEmpty, !segments[1].isEmpty, segments.allSatisfy(isBase64URL),
            let headerData = base64URLDecode(segments[0]),
            let header = try? JSONDecoder().decode(Header.self, from: headerData)
        else {
            return .failure(.malformedToken)
        }
        return .success(
            BearerToken(compact: String(decoding: token, as: UTF8.self), algorithm: header.alg, keyID: header.kid))
    }

    private struct Header: Decodable {
        var alg: String
        var kid: String?
    }

    private static func isBase64URL(_ segment: Substring.UTF8View.SubSequence) -> Bool {
        segment.allSatisfy { byte in
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
        base64URLDecode(segment.utf8[...])
    }

    /// Unpadded base64url (RFC 7515 §2) bytes to bytes.
    static func base64URLDecode(_ segment: Substring.UTF8View.SubSequence) -> Data? {
        let remainder = segment.count % 4
        if remainder == 1 { return nil }
        var base64 = [UInt8]()
        base64.reserveCapacity(segment.count + 3)
        for byte in segment {
            switch byte {
            case UInt8(ascii: "-"): base64.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): base64.append(UInt8(ascii: "/"))
            default: base64.append(byte)
            }
        }
        if remainder > 0 { base64 += Array(repeating: UInt8(ascii: "="), count: 4 - remainder) }
        return Data(base64Encoded: Data(base64))
    }
}
