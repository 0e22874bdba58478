import Crypto
import Foundation

/// Checks that an inbound HTTP request really comes from Slack (v0 request signing).
///
/// Every slash command, interaction and event is signed with the app's signing secret; without this
/// check anyone who finds the URL could store reflections in someone else's name. The check runs on
/// the raw body bytes before any decoding, rejects requests more than five minutes away from `now`
/// (replay protection) and compares in constant time.
///
/// - Important: the signing secret is a credential. It is never logged or put into an error.
public struct SlackSignatureVerifier: Sendable {
    /// HMAC-SHA256 with the key already absorbed: every request copies it instead of hashing the key's pads
    /// again (a per-request cost the ingest profile showed).
    private let keyed: HMAC<SHA256>

    /// Requests whose timestamp differs from `now` by more than this many seconds are rejected.
    public static let maximumSkewSeconds: Int64 = 300

    public init(signingSecret: String) {
        self.keyed = HMAC<SHA256>(key: SymmetricKey(data: Data(signingSecret.utf8)))
    }

    /// Verifies the `X-Slack-Request-Timestamp` and `X-Slack-Signature` headers against the raw body.
    ///
    /// - Parameters:
    ///   - body: the request body exactly as received.
    ///   - timestampHeader: the value of `X-Slack-Request-Timestamp`, if present.
    ///   - signatureHeader: the value of `X-Slack-Signature`, if present.
    ///   - now: the current time, injected so tests need no clock.
    public func verify(
        body: some DataProtocol, timestampHeader: String?, signatureHeader: String?, now: Date
    ) throws(SlackSignatureError) {
        guard let timestampHeader, !timestampHeader.isEmpty else { throw .missingTimestamp }
        guard let signatureHeader, !signatureHeader.isEmpty else { throw .missingSignature }
        guard let timestamp = Self.parseTimestamp(timestampHeader) else { throw .malformedTimestamp }
        let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let skew = nowSeconds - timestamp
        if skew > Self.maximumSkewSeconds || skew < -Self.maximumSkewSeconds {
            throw .timestampOutOfRange(secondsFromNow: skew)
        }
        let signature = Array(signatureHeader.utf8)
        guard signature.count >= 3, signature[0] == UInt8(ascii: "v"), signature[1] == UInt8(ascii: "0"),
            signature[2] == UInt8(ascii: "=")
        else { throw .unsupportedVersion }
        guard let expected = Self.decodeLowercaseHex(signature[3...]), expected.count == SHA256.byteCount else {
            throw .malformedSignature
        }
        let mac = authenticationCode(body: body, timestamp: timestampHeader)
        guard Self.constantTimeEqual(mac, expected) else { throw .mismatch }
    }

    /// The `X-Slack-Signature` value Slack would send for `body` at `timestamp`: `v0=` and 64 lowercase
    /// hex digits. For tests, benchmarks and fakes.
    public func sign(body: some DataProtocol, timestamp: String) -> String {
        let mac = authenticationCode(body: body, timestamp: timestamp)
        return "v0=" + Self.lowercaseHex(mac)
    }

    /// The signature for a Unix time in seconds.
    public func sign(body: some DataProtocol, timestamp: Int) -> String {
        sign(body: body, timestamp: String(timestamp))
    }

    private func authenticationCode(body: some DataProtocol, timestamp: String) -> [UInt8] {
        var hmac = keyed
        hmac.update(data: Array("v0:\(timestamp):".utf8))
        hmac.update(data: body)
        return Array(hmac.finalize())
    }

    /// Decimal digits only: `Int64("+12")` would accept a sign, which Slack never sends.
    static func parseTimestamp(_ text: String) -> Int64? {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= 12,
            utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int64(text)
    }

    static func decodeLowercaseHex(_ hex: ArraySlice<UInt8>) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    static func lowercaseHex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Compares every byte regardless of where the first difference is, so timing reveals nothing.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}
