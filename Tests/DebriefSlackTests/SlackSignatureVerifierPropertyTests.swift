import DebriefSlack
import Foundation
import PropertyBased
import Testing

/// Property-based checks of the signature check in front of every Slack request: the server's own signature
/// verifies exactly within ±300 s, any change to the body, the timestamp or the signature is refused, and
/// arbitrary header values are refused with a typed error rather than a trap.
@Suite("Slack signatures, property-based")
struct SlackSignatureVerifierPropertyTests {
    static let verifier = SlackSignatureVerifier(signingSecret: "reflectbot-test-signing-secret-01")
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let anyBytes = Gen<UInt8>.value(in: 0...255).array(of: 0...120)
    static let anyHeader = Gen.latin1.string(of: 0...80)
    /// Text made of what a signature header is made of, so many values get past the prefix check.
    static let signatureLike = Gen<Character?>.element(of: Array("v0=0123456789abcdefABCDEFv1g ")).map { $0 ?? "0" }
        .string(of: 0...70)

    @Test("a signed request verifies exactly when its timestamp is within 300 s of now")
    func signedRequestsVerifyWithinTheWindow() async {
        await propertyCheck(count: 1_000, input: Self.anyBytes, Gen.int(in: -1_000...1_000)) { body, offset in
            let timestamp = String(1_800_000_000 + offset)
            let signature = Self.verifier.sign(body: body, timestamp: timestamp)
            let result = Result { () throws(SlackSignatureError) in
                try Self.verifier.verify(
                    body: body, timestampHeader: timestamp, signatureHeader: signature, now: Self.now)
            }
            if abs(offset) <= 300 {
                #expect(throws: Never.self) { try result.get() }
            } else {
                #expect(throws: SlackSignatureError.timestampOutOfRange(secondsFromNow: Int64(-offset))) {
                    try result.get()
                }
            }
        }
    }

    @Test("changing one byte of the body, or the timestamp, breaks the signature")
    func tamperingIsRefused() async {
        await propertyCheck(count: 1_000, input: Self.anyBytes, Gen.int(in: 0...10_000), Gen<UInt8>.value(in: 1...255))
        {
            body, position, flip in
            let timestamp = "1800000000"
            let signature = Self.verifier.sign(body: body, timestamp: timestamp)
            var tampered = body
            if tampered.isEmpty {
                tampered = [flip]
            } else {
                tampered[position % tampered.count] ^= flip
            }
            #expect(throws: SlackSignatureError.mismatch) {
                try Self.verifier.verify(
                    body: tampered, timestampHeader: timestamp, signatureHeader: signature, now: Self.now)
            }
            #expect(throws: SlackSignatureError.mismatch) {
                try Self.verifier.verify(
                    body: body, timestampHeader: "1800000001", signatureHeader: signature, now: Self.now)
            }
        }
    }

    @Test("arbitrary headers are refused with a typed error, never accepted and never a trap")
    func arbitraryHeadersAreRefused() async {
        await propertyCheck(
            count: 2_000, input: Self.anyBytes, Gen.oneOf(Self.anyHeader, Gen.number.string(of: 0...25)),
            Gen.oneOf(Self.anyHeader, Self.signatureLike)
        ) { body, timestamp, signature in
            do throws(SlackSignatureError) {
                try Self.verifier.verify(
                    body: body, timestampHeader: timestamp, signatureHeader: signature, now: Self.now)
                // Only the one real signature for this body and timestamp may pass.
                #expect(signature == Self.verifier.sign(body: body, timestamp: timestamp))
            } catch {
                #expect(!error.description.isEmpty)
                #expect(!error.description.contains("reflectbot-test-signing-secret-01"))
            }
        }
    }
}
