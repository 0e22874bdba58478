import Crypto
import DebriefCore
import Foundation
import Testing

@Suite("Signed digest page links")
struct DigestLinkTests {
    let key = SymmetricKey(data: Data("a-test-secret-of-at-least-32-bytes!!".utf8))
    let issued = Date(timeIntervalSince1970: 1_795_000_000)
    var expiry: Date { issued.addingTimeInterval(DigestLink.defaultLifetime) }

    @Test func aFreshLinkOpensThePageUntilItExpires() {
        let sig = DigestLink.sign(digestID: "dg_2026-W47_leadership", expiresAt: expiry, key: key)
        #expect(sig.hasPrefix("\(Int(expiry.timeIntervalSince1970))."))
        #expect(DigestLink.verify(digestID: "dg_2026-W47_leadership", sig: sig, now: issued, key: key).isSuccess)
        #expect(
            DigestLink.verify(
                digestID: "dg_2026-W47_leadership", sig: sig, now: expiry.addingTimeInterval(-1), key: key
            ).isSuccess)
    }

    @Test func theDefaultLifetimeIsThirtyDays() {
        #expect(DigestLink.defaultLifetime == 30 * 24 * 3600)
    }

    @Test func theSignatureIsURLSafe() {
        for id in ["a", "dg_1", "dg_2026-W47_team_Platform", "ü/?&="] {
            let sig = DigestLink.sign(digestID: id, expiresAt: expiry, key: key)
            #expect(sig.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }, "\(sig)")
        }
    }

    @Test func aLinkForAnotherDigestIsRefused() {
        let sig = DigestLink.sign(digestID: "dg_team_platform", expiresAt: expiry, key: key)
        let result = DigestLink.verify(digestID: "dg_team_sales", sig: sig, now: issued, key: key)
        #expect(result.failure == .invalidSignature)
    }

    @Test func aChangedMACIsRefused() throws {
        let sig = DigestLink.sign(digestID: "dg_1", expiresAt: expiry, key: key)
        let parts = sig.split(separator: ".").map(String.init)
        var mac = Array(parts[1])
        mac[3] = mac[3] == "A" ? "B" : "A"
        let tampered = parts[0] + "." + String(mac)
        #expect(DigestLink.verify(digestID: "dg_1", sig: tampered, now: issued, key: key).failure == .invalidSignature)
    }

    @Test func aLongerExpiryWrittenIntoTheLinkIsRefused() {
        let sig = DigestLink.sign(digestID: "dg_1", expiresAt: expiry, key: key)
        let parts = sig.split(separator: ".").map(String.init)
        let extended = String(Int(expiry.timeIntervalSince1970) + 365 * 86_400) + "." + parts[1]
        let later = expiry.addingTimeInterval(86_400)
        #expect(DigestLink.verify(digestID: "dg_1", sig: extended, now: later, key: key).failure == .invalidSignature)
    }

    @Test func aLinkSignedWithAnotherKeyIsRefused() {
        let sig = DigestLink.sign(digestID: "dg_1", expiresAt: expiry, secret: "some other installation's key")
        #expect(DigestLink.verify(digestID: "dg_1", sig: sig, now: issued, key: key).failure == .invalidSignature)
    }

    @Test func anExpiredLinkSaysSo() {
        let sig = DigestLink.sign(digestID: "dg_1", expiresAt: expiry, key: key)
        #expect(DigestLink.verify(digestID: "dg_1", sig: sig, now: expiry, key: key).failure == .expired)
        let result = DigestLink.verify(digestID: "dg_1", sig: sig, now: expiry.addingTimeInterval(86_400), key: key)
        #expect(result.failure == .expired)
        #expect(result.failure?.explanation.contains("expired") == true)
    }

    @Test(arguments: [
        "", "abc", "1795000000", "1795000000.", ".abc", "17950x0000.AAAA", "-1.AAAA", "1.2.3",
        "1795000000.not base64!", "1795000000.AAAA", "99999999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ])
    func aMalformedSignatureIsRefused(sig: String) {
        #expect(DigestLink.verify(digestID: "dg_1", sig: sig, now: issued, key: key).failure == .malformed)
    }

    @Test func aCutOffLinkIsMalformedNotForged() {
        let sig = DigestLink.sign(digestID: "dg_1", expiresAt: expiry, key: key)
        #expect(
            DigestLink.verify(digestID: "dg_1", sig: String(sig.dropLast(5)), now: issued, key: key).failure
                == .malformed)
    }

    @Test func everyRefusalHasAPlainExplanationWithoutTechnicalWords() {
        for error in DigestLinkError.allCases {
            let text = error.explanation
            #expect(text.count > 40)
            for word in ["HMAC", "MAC", "base64", "sig=", "403", "signature"] {
                #expect(!text.contains(word), "\(error): \(text)")
            }
        }
    }

    @Test func theLinkPathCarriesTheSignature() {
        let url = DigestLink.url(baseURL: "https://debrief.example.com/", digestID: "dg 1", expiresAt: expiry, key: key)
        let sig = DigestLink.sign(digestID: "dg 1", expiresAt: expiry, key: key)
        #expect(url == "https://debrief.example.com/digests/dg%201?sig=" + sig)
    }
}

extension Result where Success == Void {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }

    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
