import Crypto
import Foundation

/// Signs and checks the `sig` query value of a digest page link, `GET /digests/<id>?sig=<expiry>.<mac>`.
///
/// The digest page is reachable without logging in (people open it from Slack on a phone), so the link
/// itself is the permission: an HMAC-SHA256 over the digest id and the expiry, keyed with a server
/// secret. The expiry travels in clear inside `sig` so the server needs no table of issued links; it
/// is covered by the MAC, so changing it breaks the signature. Links expire so that an old link
/// forwarded outside the channel stops working.
///
/// `sig` is `<expiry as Unix seconds>.<base64url MAC without padding>`, for example
/// `1767225600.3q2-7w…`. The MAC is over `debrief-digest-link-v1`, NUL, the id, NUL, the expiry digits.
/// - Important: the key must stay secret and should be at least 32 random bytes; anyone with it can
///   mint links to every digest.
public enum DigestLink {
    /// How long a link works when the configuration says nothing: 30 days.
    public static let defaultLifetime: TimeInterval = 30 * 24 * 60 * 60

    /// The query parameter name the page route reads.
    public static let queryName = "sig"

    static let domain = "debrief-digest-link-v1"
    static let macByteCount = SHA256.byteCount
    /// Expiries are whole seconds with at most 12 digits (until the year 33658).
    static let maximumExpiryDigits = 12

    /// The `sig` value for a link to `digestID` that works until `expiresAt` (whole seconds, rounded down).
    public static func sign(digestID: String, expiresAt: Date, key: SymmetricKey) -> String {
        let expiry = Int64(expiresAt.timeIntervalSince1970.rounded(.down))
        let expiryText = String(max(0, expiry))
        let mac = HMAC<SHA256>.authenticationCode(for: message(digestID: digestID, expiry: expiryText), using: key)
        return expiryText + "." + base64URL(Data(mac))
    }

    /// ``sign(digestID:expiresAt:key:)`` with the key given as the configured secret text.
    public static func sign(digestID: String, expiresAt: Date, secret: String) -> String {
        sign(digestID: digestID, expiresAt: expiresAt, key: key(secret: secret))
    }

    /// Checks a `sig` value from a request for `digestID` at `now`.
    ///
    /// The signature is checked before the expiry (in constant time), so a forged link is reported as
    /// invalid whatever expiry it claims. A link is usable strictly before its expiry.
    public static func verify(digestID: String, sig: String, now: Date, key: SymmetricKey)
        -> Result<Void, DigestLinkError>
    {
        guard let parsed = parse(sig) else { return .failure(.malformed) }
        let valid = HMAC<SHA256>.isValidAuthenticationCode(
            parsed.mac, authenticating: message(digestID: digestID, expiry: parsed.expiryText), using: key)
        guard valid else { return .failure(.invalidSignature) }
        guard now.timeIntervalSince1970 < Double(parsed.expiry) else { return .failure(.expired) }
        return .success(())
    }

    /// ``verify(digestID:sig:now:key:)`` with the key given as the configured secret text.
    public static func verify(digestID: String, sig: String, now: Date, secret: String)
        -> Result<Void, DigestLinkError>
    {
        verify(digestID: digestID, sig: sig, now: now, key: key(secret: secret))
    }

    /// The key for a configured secret: its UTF-8 bytes.
    public static func key(secret: String) -> SymmetricKey {
        SymmetricKey(data: Data(secret.utf8))
    }

    /// `/digests/<id>?sig=<sig>`, with the id percent-encoded as a path segment; prefix the public base URL.
    public static func path(digestID: String, sig: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let id = digestID.addingPercentEncoding(withAllowedCharacters: allowed) ?? digestID
        return "/digests/" + id + "?" + queryName + "=" + sig
    }

    /// The full link: `baseURL` (such as `https://debrief.example.com`, a trailing `/` is fine), the path,
    /// and a fresh signature valid until `expiresAt`.
    public static func url(baseURL: String, digestID: String, expiresAt: Date, key: SymmetricKey) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + path(digestID: digestID, sig: sign(digestID: digestID, expiresAt: expiresAt, key: key))
    }

    // MARK: - Helpers

    private static func message(digestID: String, expiry: String) -> Data {
        var data = Data(domain.utf8)
        data.append(0)
        data.append(contentsOf: digestID.utf8)
        data.append(0)
        data.append(contentsOf: expiry.utf8)
        return data
    }

    private static func parse(_ sig: String) -> (expiry: Int64, expiryText: String, mac: Data)? {
        let parts = sig.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let expiryText = String(parts[0])
        guard (1...maximumExpiryDigits).contains(expiryText.utf8.count),
            expiryText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let expiry = Int64(expiryText),
            let mac = decodeBase64URL(String(parts[1])), mac.count == macByteCount,
            base64URL(mac) == parts[1]  // one spelling per MAC: no variants with other padding bits
        else { return nil }
        return (expiry, expiryText, mac)
    }

    static func base64URL(_ data: Data) -> String {
        var text = data.base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    static func decodeBase64URL(_ text: String) -> Data? {
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "_")
        }
        guard allowed, !text.isEmpty else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = standard.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { standard += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: standard)
    }
}
