import DebriefSlack
import DebriefTestSupport
import Foundation
import Testing

@Suite("Slack request signatures")
struct SlackSignatureVerifierTests {
    static let secret = "reflectbot-test-signing-secret-01"
    static let timestamp = "1735689600"
    static let now = Date(timeIntervalSince1970: 1_735_689_600)
    let verifier = SlackSignatureVerifier(signingSecret: secret)

    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var secret: String
        var timestamp: String
        var body: String
        var signature: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(
            name: "A: slash command form", secret: secret, timestamp: timestamp,
            body:
                "token=legacyToken&team_id=T0001&team_domain=acme&channel_id=D0001&channel_name=directmessage&user_id=U0001&user_name=alice&command=%2Freflect&text=used+AI+to+draft+a+spec&api_app_id=A0001&is_enterprise_install=false&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0001%2F1%2Fabc&trigger_id=1.2.abc",
            signature: "v0=180f7497e373a193d989ecb20424503f733a636ee1af831597690b803a671c7e"),
        Vector(
            name: "B: JSON body", secret: secret, timestamp: timestamp,
            body: #"{"token":"x","challenge":"abc123","type":"url_verification"}"#,
            signature: "v0=452258929e39e3b0270ffe81a741cd233349b2e7d2cfb6c3d0741b5e0790cc6e"),
        Vector(
            name: "C: empty body", secret: secret, timestamp: timestamp, body: "",
            signature: "v0=3c1508372ad609dc5e6b5c738c30a64e0735f228b56be4ceb9c623c06e85311b"),
        Vector(
            name: "D: Slack docs example", secret: "8f742231b10e8888abcd99yyyzzz85a5", timestamp: "1531420618",
            body:
                "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
            signature: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"),
    ]

    @Test("reference vectors verify and sign identically", arguments: vectors)
    func referenceVectors(vector: Vector) throws {
        let verifier = SlackSignatureVerifier(signingSecret: vector.secret)
        let now = Date(timeIntervalSince1970: TimeInterval(Int(vector.timestamp) ?? 0) + 12)
        try verifier.verify(
            body: Data(vector.body.utf8), timestampHeader: vector.timestamp, signatureHeader: vector.signature, now: now
        )
        try verifier.verify(
            body: Array(vector.body.utf8), timestampHeader: vector.timestamp, signatureHeader: vector.signature,
            now: now)
        #expect(verifier.sign(body: Data(vector.body.utf8), timestamp: vector.timestamp) == vector.signature)
        // The test-support signer is an independent implementation and must agree.
        #expect(
            SlackRequestSigner(signingSecret: vector.secret).signature(
                body: Data(vector.body.utf8), timestamp: vector.timestamp) == vector.signature)
    }

    @Test("the saved slash command fixture is vector A's body")
    func fixtureMatchesVectorA() throws {
        let body = try Fixture.data("slash_command.form")
        #expect(body.count == 306)
        try verifier.verify(
            body: body, timestampHeader: Self.timestamp, signatureHeader: Self.vectors[0].signature, now: Self.now)
    }

    func expectFailure(
        _ expected: SlackSignatureError, body: String = Self.vectors[0].body, timestamp: String? = Self.timestamp,
        signature: String? = Self.vectors[0].signature, now: Date = Self.now, verifier: SlackSignatureVerifier? = nil
    ) {
        #expect(throws: expected) {
            try (verifier ?? self.verifier).verify(
                body: Data(body.utf8), timestampHeader: timestamp, signatureHeader: signature, now: now)
        }
    }

    @Test func tamperedBodyIsRejected() {
        expectFailure(.mismatch, body: Self.vectors[0].body.replacingOccurrences(of: "alice", with: "mallory"))
        expectFailure(.mismatch, body: Self.vectors[0].body + "\n")
    }

    @Test func wrongSecretIsRejected() {
        expectFailure(.mismatch, verifier: SlackSignatureVerifier(signingSecret: "another-apps-secret"))
    }

    @Test func reencodedBodyIsRejected() {
        // `+` and `%20` decode to the same text but are different bytes: Slack signs the bytes.
        expectFailure(.mismatch, body: Self.vectors[0].body.replacingOccurrences(of: "+", with: "%20"))
    }

    @Test func timestampsOutsideFiveMinutesAreRejected() {
        let old = Self.now.addingTimeInterval(301)
        expectFailure(.timestampOutOfRange(secondsFromNow: 301), now: old)
        let future = Self.now.addingTimeInterval(-301)
        expectFailure(.timestampOutOfRange(secondsFromNow: -301), now: future)
    }

    @Test func timestampsWithinFiveMinutesAreAccepted() throws {
        for offset in [-300.0, -1, 0, 1, 300, 300.9] {
            try verifier.verify(
                body: Data(Self.vectors[0].body.utf8), timestampHeader: Self.timestamp,
                signatureHeader: Self.vectors[0].signature, now: Self.now.addingTimeInterval(offset))
        }
    }

    @Test func missingHeadersAreRejected() {
        expectFailure(.missingTimestamp, timestamp: nil)
        expectFailure(.missingTimestamp, timestamp: "")
        expectFailure(.missingSignature, signature: nil)
        expectFailure(.missingSignature, signature: "")
    }

    @Test func nonNumericTimestampsAreRejected() {
        for bad in ["abc", "+1735689600", "-1735689600", " 1735689600", "1735689600.5", "17356896000000000000"] {
            expectFailure(.malformedTimestamp, timestamp: bad)
        }
    }

    @Test func malformedSignaturesAreRejected() {
        let valid = Self.vectors[0].signature
        expectFailure(.malformedSignature, signature: valid.uppercased().replacingOccurrences(of: "V0=", with: "v0="))
        expectFailure(.unsupportedVersion, signature: String(valid.dropFirst(3)))
        expectFailure(.unsupportedVersion, signature: "v1=" + valid.dropFirst(3))
        expectFailure(.malformedSignature, signature: String(valid.dropLast(2)))
        expectFailure(.malformedSignature, signature: valid + "00")
        expectFailure(.malformedSignature, signature: String(valid.dropLast()) + "g")
        expectFailure(.malformedSignature, signature: "v0=")
    }

    @Test func errorDescriptionsNameTheProblemWithoutSecrets() {
        let errors: [SlackSignatureError] = [
            .missingTimestamp, .missingSignature, .malformedTimestamp, .timestampOutOfRange(secondsFromNow: 301),
            .timestampOutOfRange(secondsFromNow: -400), .unsupportedVersion, .malformedSignature, .mismatch,
        ]
        for error in errors {
            #expect(!error.description.contains(Self.secret))
            #expect(!error.description.isEmpty)
        }
        #expect(SlackSignatureError.timestampOutOfRange(secondsFromNow: 301).description.contains("301 s old"))
        #expect(SlackSignatureError.timestampOutOfRange(secondsFromNow: -400).description.contains("future"))
    }
}
