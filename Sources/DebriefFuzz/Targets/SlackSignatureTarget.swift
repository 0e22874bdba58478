import DebriefSlack
import Foundation

extension FuzzTarget {
    /// `X-Slack-Request-Timestamp`, `X-Slack-Signature` and the raw body of any request to `/slack/events`.
    ///
    /// Input: the timestamp header on the first line, the signature header on the second, the body after.
    static let slackSignature = FuzzTarget(
        name: "slack-signature",
        summary: "SlackSignatureVerifier.verify on arbitrary headers and bodies, and sign/verify round trips"
    ) { input in
        let parts = input.parts(3)
        let (timestamp, signature, body) = (parts[0], parts[1], Data(parts[2].utf8))
        let verifier = SlackSignatureVerifier(signingSecret: "8f742231b10e8888abcd99yyyzzz85a5")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        do throws(SlackSignatureError) {
            try verifier.verify(body: body, timestampHeader: timestamp, signatureHeader: signature, now: now)
            FuzzExpect.that(
                signature == verifier.sign(body: body, timestamp: timestamp), "only the real signature verifies")
        } catch {
            FuzzExpect.that(!error.description.isEmpty, "a refusal says what to check")
        }
        // The server's own signature verifies within ±300 s of now and never outside.
        let signed = verifier.sign(body: body, timestamp: timestamp)
        let accepted =
            (try? verifier.verify(body: body, timestampHeader: timestamp, signatureHeader: signed, now: now)) != nil
        let digitsOnly =
            !timestamp.isEmpty && timestamp.utf8.count <= 12 && timestamp.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        let withinWindow = digitsOnly && Int64(timestamp).map { abs($0 - 1_800_000_000) <= 300 } == true
        FuzzExpect.that(accepted == withinWindow, "a signed request is accepted exactly within ±300 s")
    }
}
