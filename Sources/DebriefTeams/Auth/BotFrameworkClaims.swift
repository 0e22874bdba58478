import Foundation
import JWTKit

/// The claims of a Connector → bot token that Debrief checks (reference `teams.md` §2.1). Decoded only after the
/// signature verified; every field is optional so a missing claim becomes a named failure, not a decoding error.
struct BotFrameworkClaims: JWTPayload {
    var iss: String?
    var aud: Audience?
    /// Seconds since 1970.
    var exp: Double?
    /// Seconds since 1970.
    var nbf: Double?
    /// The Connector base URL this token was minted for (lowercase claim name).
    var serviceurl: String?

    /// `aud` as RFC 7519 allows it: one string or an array of strings.
    enum Audience: Decodable, Equatable {
        case one(String)
        case many([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let single = try? container.decode(String.self) {
                self = .one(single)
            } else {
                self = .many(try container.decode([String].self))
            }
        }

        func contains(_ value: String) -> Bool {
            switch self {
            case .one(let single): single == value
            case .many(let values): values.contains(value)
            }
        }
    }

    /// jwt-kit calls this after the signature check; Debrief checks the claims itself with its injected clock
    /// (``BotFrameworkAuthenticator``), so nothing happens here.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

extension BotFrameworkClaims.Audience: Encodable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .one(let single): try container.encode(single)
        case .many(let values): try container.encode(values)
        }
    }
}
