import Foundation
import JWTKit

/// The claims of a Connector → bot token that Debrief checks (reference `teams.md` §2.1). Decoded only after the
/// signature verified; every field is optional so a missing claim becomes a named failure, not a decoding error.
package struct BotFrameworkClaims: JWTPayload {
    package var iss: String?
    package var aud: Audience?
    /// Seconds since 1970.
    package var exp: Double?
    /// Seconds since 1970.
    package var nbf: Double?
    /// The Connector base URL this token was minted for (lowercase claim name).
    package var serviceurl: String?

    /// `aud` as RFC 7519 allows it: one string or an array of strings.
    package enum Audience: Decodable, Equatable {
        case one(String)
        case many([String])

        package init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let single = try? container.decode(String.self) {
                self = .one(single)
            } else {
                self = .many(try container.decode([String].self))
            }
        }

        package func contains(_ value: String) -> Bool {
            switch self {
            case .one(let single): single == value
            case .many(let values): values.contains(value)
            }
        }
    }

    /// jwt-kit calls this after the signature check; Debrief checks the claims itself with its injected clock
    /// (``BotFrameworkAuthenticator``), so nothing happens here.
    package func verify(using algorithm: some JWTAlgorithm) async throws {}
}

extension BotFrameworkClaims.Audience: Encodable {
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .one(let single): try container.encode(single)
        case .many(let values): try container.encode(values)
        }
    }
}
