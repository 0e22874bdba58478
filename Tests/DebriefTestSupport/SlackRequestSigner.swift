import Crypto
import Foundation
import HTTPTypes

/// Signs request bodies the way Slack does (v0 HMAC-SHA256), for tests that post to Debrief's inbound
/// routes. Independent of DebriefSlack on purpose: a verifier tested only against its own signer
/// would agree with itself even when both are wrong.
public struct SlackRequestSigner: Sendable {
    private let key: SymmetricKey

    public static let timestampHeaderName = "X-Slack-Request-Timestamp"
    public static let signatureHeaderName = "X-Slack-Signature"

    public init(signingSecret: String) {
        self.key = SymmetricKey(data: Data(signingSecret.utf8))
    }

    /// `v0=` followed by 64 lowercase hex digits.
    public func signature(body: some DataProtocol, timestamp: String) -> String {
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: Array("v0:\(timestamp):".utf8))
        hmac.update(data: body)
        let mac = hmac.finalize()
        return "v0="
            + mac.map { byte in
                let digits = Array("0123456789abcdef")
                return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
            }.joined()
    }

    /// The two headers Slack would send with `body` at `date`.
    public func headerFields(body: some DataProtocol, at date: Date) -> HTTPFields {
        let timestamp = String(Int(date.timeIntervalSince1970))
        var fields = HTTPFields()
        if let name = HTTPField.Name(Self.timestampHeaderName) { fields[name] = timestamp }
        if let name = HTTPField.Name(Self.signatureHeaderName) {
            fields[name] = signature(body: body, timestamp: timestamp)
        }
        return fields
    }
}
