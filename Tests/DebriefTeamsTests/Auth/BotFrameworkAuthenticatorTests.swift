import DebriefFakeTeams
import DebriefTeams
import Foundation
import Testing

@Suite("Bot Framework token checks")
struct BotFrameworkAuthenticatorTests {
    @Test("a token the Connector mints for this bot is accepted and carries its serviceurl and endorsements")
    func validTokenAccepted() async throws {
        try await AuthHarness.with { harness in
            let verified = try await harness.authenticate(harness.validToken()).get()
            #expect(verified.serviceURL == AuthHarness.serviceURL)
            #expect(verified.endorsements == ["msteams"])
        }
    }

    @Test("a token for another bot's App ID is refused")
    func wrongAudience() async throws {
        try await AuthHarness.with { harness in
            var claims = harness.claims()
            claims.audience = "00000000-0000-4000-8000-000000000bad"
            #expect(await harness.failure(claims) == .wrongAudience)
            claims.audience = nil
            #expect(await harness.failure(claims) == .wrongAudience)
        }
    }

    @Test("the api:// audience forms are refused: Connector tokens carry the bare App ID")
    func applicationURIAudienceRefused() async throws {
        try await AuthHarness.with { harness in
            for audience in ["api://\(AuthHarness.appID)", "api://botid-\(AuthHarness.appID)"] {
                var claims = harness.claims()
                claims.audience = audience
                #expect(await harness.failure(claims) == .wrongAudience)
            }
        }
    }

    @Test("an empty App ID in the settings accepts nothing, not even a token with an empty aud")
    func emptyAppIDAcceptsNothing() async throws {
        try await AuthHarness.with(appID: "") { harness in
            var claims = harness.claims()
            claims.audience = ""
            #expect(await harness.failure(claims) == .wrongAudience)
        }
    }

    @Test("a token from another issuer (or none) is refused even when signed with a published key")
    func wrongIssuer() async throws {
        try await AuthHarness.with { harness in
            var claims = harness.claims()
            claims.issuer = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"
            #expect(await harness.failure(claims) == .wrongIssuer)
            claims.issuer = nil
            #expect(await harness.failure(claims) == .wrongIssuer)
        }
    }

    @Test("expiry allows 5 minutes of clock skew: 4 minutes past is accepted, 6 minutes past refused")
    func expiryWithSkew() async throws {
        try await AuthHarness.with { harness in
            let token = try harness.validToken()
            harness.clock.advance(by: .seconds(3600 + 4 * 60))
            #expect(await harness.accepts(token: token))
            harness.clock.advance(by: .seconds(2 * 60))
            #expect(await harness.failure(token: token) == .expired)
        }
    }

    @Test("a token without exp is refused")
    func missingExpiry() async throws {
        try await AuthHarness.with { harness in
            var claims = harness.claims()
            claims.expires = nil
            #expect(await harness.failure(claims) == .missingExpiry)
        }
    }

    @Test("nbf allows 5 minutes of skew: valid 4 minutes from now is accepted, 6 minutes from now refused")
    func notYetValid() async throws {
        try await AuthHarness.with { harness in
            var claims = harness.claims()
            claims.notBefore = harness.clock.now.addingTimeInterval(6 * 60)
            #expect(await harness.failure(claims) == .notYetValid)
            claims.notBefore = harness.clock.now.addingTimeInterval(4 * 60)
            #expect(await harness.accepts(claims))
        }
    }

    @Test("alg none is refused, even naming a published kid")
    func algorithmNone() async throws {
        try await AuthHarness.with { harness in
            let token = try harness.issuer.token(harness.claims(), signing: .none(kid: nil))
            #expect(token.hasSuffix("."))
            #expect(await harness.failure(token: token) == .unsupportedAlgorithm)
        }
    }

    @Test("HS256 signed with the published RSA key (PEM or JWK) as the HMAC secret is refused")
    func hmacKeyConfusion() async throws {
        try await AuthHarness.with { harness in
            for signing in [
                FakeBotFrameworkIssuer.Signing.hs256WithPublicKeyPEM(kid: nil), .hs256WithPublicKeyJWK(kid: nil),
            ] {
                let token = try harness.issuer.token(harness.claims(), signing: signing)
                #expect(await harness.failure(token: token) == .unsupportedAlgorithm)
            }
        }
    }

    @Test("a token signed by a key the issuer never published is refused, though its kid is published")
    func unpublishedKey() async throws {
        try await AuthHarness.with { harness in
            let token = try harness.issuer.token(harness.claims(), signing: .unpublishedKey(claimingKid: nil))
            #expect(await harness.failure(token: token) == .badSignature)
            #expect(await harness.accepts())
        }
    }

    @Test("a token whose payload was changed after signing is refused")
    func tamperedPayload() async throws {
        try await AuthHarness.with { harness in
            let genuine = try harness.validToken()
            var forged = harness.claims()
            forged.serviceURL = "https://attacker.example/"
            let other = try harness.issuer.token(forged)
            let parts = genuine.split(separator: ".")
            let otherParts = other.split(separator: ".")
            let spliced = "\(parts[0]).\(otherParts[1]).\(parts[2])"
            #expect(await harness.failure(token: spliced) == .badSignature)
        }
    }

    @Test("a token whose header has no kid is refused")
    func missingKeyID() async throws {
        try await AuthHarness.with { harness in
            let parts = try harness.validToken().split(separator: ".")
            let header = Data(#"{"alg":"RS256","typ":"JWT"}"#.utf8).base64EncodedString()
                .replacingOccurrences(of: "=", with: "")
            #expect(await harness.failure(token: "\(header).\(parts[1]).\(parts[2])") == .missingKeyID)
        }
    }

    @Test(
        "malformed Authorization headers are refused without fetching any key",
        arguments: [
            ("Basic dXNlcjpwYXNz", BotFrameworkAuthFailure.malformedAuthorization),
            ("Bearer", .malformedAuthorization),
            ("Bearer ", .malformedAuthorization),
            ("Bearer a.b.c extra", .malformedAuthorization),
            ("Bearer a.b", .malformedToken),
            ("Bearer a.b.c.d", .malformedToken),
            ("Bearer !!!.@@@.###", .malformedToken),
            ("Bearer bm90IGpzb24.e30.c2ln", .malformedToken),
            ("Bearer .e30.c2ln", .malformedToken),
            ("", .malformedAuthorization),
        ])
    func malformedHeaders(header: String, expected: BotFrameworkAuthFailure) async throws {
        try await AuthHarness.with { harness in
            let result = await harness.authenticator.authenticate(authorization: header)
            #expect(result.failure == expected)
            #expect(harness.issuer.fetchCount(.metadata) == 0)
        }
    }

    @Test("the scheme must be exactly \"Bearer\" with one space before a valid token")
    func schemeIsExact() async throws {
        try await AuthHarness.with { harness in
            let token = try harness.validToken()
            for header in ["bearer \(token)", "BEARER \(token)", "Bearer  \(token)", " Bearer \(token)"] {
                #expect(
                    await harness.authenticator.authenticate(authorization: header).failure == .malformedAuthorization)
            }
            #expect(await harness.authenticator.authenticate(authorization: nil).failure == .missingAuthorization)
            #expect(await harness.authenticator.authenticate(authorization: "Bearer \(token)").failure == nil)
        }
    }

    @Test("failure reasons are distinct snake_case metric labels")
    func reasonsAreDistinct() {
        let failures: [BotFrameworkAuthFailure] = [
            .missingAuthorization, .malformedAuthorization, .malformedToken, .unsupportedAlgorithm, .missingKeyID,
            .unknownKey, .keysUnavailable, .badSignature, .wrongIssuer, .wrongAudience, .missingExpiry, .expired,
            .notYetValid, .channelNotEndorsed, .missingServiceURL, .serviceURLMismatch,
        ]
        let reasons = failures.map(\.reason)
        #expect(Set(reasons).count == failures.count)
        #expect(reasons.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } })
        #expect(BotFrameworkAuthFailure.expired.reason == "expired")
        #expect(BotFrameworkAuthFailure.wrongAudience.reason == "wrong_audience")
    }
}
