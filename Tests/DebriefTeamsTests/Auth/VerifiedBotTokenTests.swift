import DebriefCore
import DebriefFakeTeams
import DebriefTeams
import Foundation
import Testing

@Suite("Bot Framework token and activity: endorsement and serviceUrl")
struct VerifiedBotTokenTests {
    @Test("an activity from a channel the signing key is not endorsed for is refused")
    func missingEndorsement() async throws {
        try await AuthHarness.with { harness in
            let verified = try await harness.authenticate(harness.validToken()).get()
            #expect(verified.admits(channelID: "msteams", serviceURL: AuthHarness.serviceURL).failure == nil)
            #expect(
                verified.admits(channelID: "slack", serviceURL: AuthHarness.serviceURL).failure == .channelNotEndorsed)
            #expect(
                verified.admits(channelID: "MSTEAMS", serviceURL: AuthHarness.serviceURL).failure == .channelNotEndorsed
            )
            #expect(verified.admits(channelID: nil, serviceURL: AuthHarness.serviceURL).failure == .channelNotEndorsed)
            #expect(verified.admits(channelID: "", serviceURL: AuthHarness.serviceURL).failure == .channelNotEndorsed)
        }
    }

    @Test("endorsements come from the JWKS entry of the token's kid")
    func endorsementsPerKey() async throws {
        let issuer = try FakeBotFrameworkIssuer(kid: "emulator-key", endorsements: ["emulator", "webchat"])
        try await AuthHarness.with(issuer: issuer) { harness in
            let verified = try await harness.authenticate(harness.validToken()).get()
            #expect(verified.endorsements == ["emulator", "webchat"])
            #expect(
                verified.admits(channelID: "msteams", serviceURL: AuthHarness.serviceURL).failure == .channelNotEndorsed
            )
            #expect(verified.admits(channelID: "webchat", serviceURL: AuthHarness.serviceURL).failure == nil)
        }
    }

    @Test("the activity's serviceUrl must match the token's serviceurl claim, trailing slashes aside")
    func serviceURLMismatch() async throws {
        try await AuthHarness.with { harness in
            let verified = try await harness.authenticate(harness.validToken()).get()
            #expect(
                verified.admits(channelID: "msteams", serviceURL: "https://smba.trafficmanager.net/emea").failure == nil
            )
            #expect(
                verified.admits(channelID: "msteams", serviceURL: "https://smba.trafficmanager.net/amer/").failure
                    == .serviceURLMismatch)
            #expect(
                verified.admits(channelID: "msteams", serviceURL: "https://attacker.example/emea/").failure
                    == .serviceURLMismatch)
            #expect(verified.admits(channelID: "msteams", serviceURL: nil).failure == .serviceURLMismatch)
        }
    }

    @Test("a token without a serviceurl claim admits no activity")
    func missingServiceURLClaim() async throws {
        try await AuthHarness.with { harness in
            var claims = harness.claims()
            claims.serviceURL = nil
            let verified = try await harness.authenticate(try harness.issuer.token(claims)).get()
            #expect(verified.serviceURL == nil)
            #expect(
                verified.admits(channelID: "msteams", serviceURL: AuthHarness.serviceURL).failure == .missingServiceURL)
        }
    }

    @Test("a decoded activity is checked by its channelId and serviceUrl")
    func activityConvenience() async throws {
        try await AuthHarness.with { harness in
            let verified = try await harness.authenticate(harness.validToken()).get()
            let teams = Activity(type: "message", serviceUrl: AuthHarness.serviceURL, channelId: "msteams")
            let elsewhere = Activity(type: "message", serviceUrl: "https://other.example/", channelId: "msteams")
            #expect(verified.admits(teams).failure == nil)
            #expect(verified.admits(elsewhere).failure == .serviceURLMismatch)
        }
    }
}
