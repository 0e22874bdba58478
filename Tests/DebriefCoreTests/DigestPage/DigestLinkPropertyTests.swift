import Crypto
import DebriefCore
import Foundation
import PropertyBased
import Testing

/// Property-based checks of the signed digest page links: a link the server signs works for its digest until
/// its expiry and for nothing else, and arbitrary `sig` values are refused without a trap.
@Suite("Digest page links, property-based")
struct DigestLinkPropertyTests {
    static let key = SymmetricKey(data: Data("digest-link-property-secret-0123456789".utf8))
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let anyID = Gen<UInt32>.value(in: 0...0x10_FFFF)
        .map { Character(Unicode.Scalar($0) ?? "\u{FFFD}") }.string(of: 0...40)
    /// Text made of what a `sig` value is made of, so many values get past the shape checks.
    static let sigLike = Gen<Character?>.element(of: Array("0123456789.-_abcXYZ=+/")).map { $0 ?? "0" }
        .string(of: 0...70)

    static func refusal(_ result: Result<Void, DigestLinkError>) -> DigestLinkError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test("a signed link works for its digest until its expiry, and not after or for another digest")
    func signedLinksWorkUntilTheyExpire() async {
        await propertyCheck(count: 1_000, input: Self.anyID, Gen.int(in: 1...(400 * 86_400))) { id, lifetime in
            let expires = Self.now.addingTimeInterval(TimeInterval(lifetime))
            let sig = DigestLink.sign(digestID: id, expiresAt: expires, key: Self.key)
            #expect(Self.refusal(DigestLink.verify(digestID: id, sig: sig, now: Self.now, key: Self.key)) == nil)
            #expect(Self.refusal(DigestLink.verify(digestID: id, sig: sig, now: expires, key: Self.key)) == .expired)
            #expect(
                Self.refusal(DigestLink.verify(digestID: id + "0", sig: sig, now: Self.now, key: Self.key))
                    == .invalidSignature)
        }
    }

    @Test("changing any character of a signed sig value breaks it")
    func tamperedSignaturesAreRefused() async {
        await propertyCheck(
            count: 1_000, input: Self.anyID, Gen.int(in: 0...200),
            Gen<Character?>.element(of: Array("0123456789-_Aa.="))
        ) { id, position, replacement in
            let sig = DigestLink.sign(digestID: id, expiresAt: Self.now.addingTimeInterval(86_400), key: Self.key)
            var characters = Array(sig)
            let index = position % characters.count
            guard let replacement, characters[index] != replacement else { return }
            characters[index] = replacement
            let result = DigestLink.verify(digestID: id, sig: String(characters), now: Self.now, key: Self.key)
            #expect(Self.refusal(result) != nil, "\(sig) → \(String(characters))")
        }
    }

    @Test("arbitrary sig values are refused as malformed or invalid, never accepted and never a trap")
    func arbitrarySignaturesAreRefused() async {
        await propertyCheck(count: 2_000, input: Self.anyID, Gen.oneOf(Self.sigLike, Gen.latin1.string(of: 0...80))) {
            id, sig in
            let refusal = Self.refusal(DigestLink.verify(digestID: id, sig: sig, now: Self.now, key: Self.key))
            #expect(refusal == .malformed || refusal == .invalidSignature)
        }
    }
}
