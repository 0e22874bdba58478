import Crypto
import DebriefCore
import Foundation

extension FuzzTarget {
    /// `GET /digests/<id>?sig=…`: the id and the `sig` query value come from whoever holds (or guesses) a link.
    ///
    /// Input: the digest id on the first line, the `sig` value after it.
    static let digestLink = FuzzTarget(
        name: "digest-link",
        summary: "DigestLink.verify on digest ids and sig values, and sign/verify round trips"
    ) { input in
        let parts = input.parts(2)
        let (id, sig) = (parts[0], parts[1])
        let key = SymmetricKey(data: Data("fuzz-digest-link-secret-0123456789".utf8))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        if case .success = DigestLink.verify(digestID: id, sig: sig, now: now, key: key) {
            // A forgery the fuzzer found would land here; so would the one spelling of a real signature.
            let expiry = sig.split(separator: ".").first.flatMap { Int64($0) } ?? 0
            FuzzExpect.that(
                sig == DigestLink.sign(digestID: id, expiresAt: Date(timeIntervalSince1970: Double(expiry)), key: key),
                "only the signature the server made for this id verifies")
        }
        // Whatever the id, a link the server signs works until its expiry and not after.
        let expires = now.addingTimeInterval(DigestLink.defaultLifetime)
        let signed = DigestLink.sign(digestID: id, expiresAt: expires, key: key)
        FuzzExpect.that(
            outcome(DigestLink.verify(digestID: id, sig: signed, now: now, key: key)) == nil, "a fresh link verifies")
        FuzzExpect.that(
            outcome(DigestLink.verify(digestID: id, sig: signed, now: expires, key: key)) == .expired,
            "a link stops working at its expiry")
        FuzzExpect.that(
            outcome(DigestLink.verify(digestID: id + "x", sig: signed, now: now, key: key)) == .invalidSignature,
            "a link is for one digest only")
        _ = DigestLink.path(digestID: id, sig: sig)
    }

    /// The refusal, or nil when the link verified.
    private static func outcome(_ result: Result<Void, DigestLinkError>) -> DigestLinkError? {
        if case .failure(let error) = result { return error }
        return nil
    }
}
