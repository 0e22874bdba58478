import Crypto
import Foundation

/// Checks `Authorization: Bearer <token>` against the configured admin tokens in constant time.
///
/// Every configured token is compared (no early exit on the first match), and the comparison is over
/// SHA-256 digests so token length does not leak through timing either.
struct AdminAuthenticator: Sendable {
    private let tokenDigests: [Data]

    init(tokens: [String]) {
        tokenDigests = tokens.map { Data(SHA256.hash(data: Data($0.utf8))) }
    }

    var isEnabled: Bool { !tokenDigests.isEmpty }

    func isAuthorized(authorizationHeader: String?) -> Bool {
        guard let header = authorizationHeader else { return false }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        let presented = Data(SHA256.hash(data: Data(parts[1].trimmingCharacters(in: .whitespaces).utf8)))
        var matched = false
        for digest in tokenDigests {
            var difference: UInt8 = 0
            for (left, right) in zip(digest, presented) { difference |= left ^ right }
            matched = matched || difference == 0
        }
        return matched
    }
}
