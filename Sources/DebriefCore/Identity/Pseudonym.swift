import Crypto
import Foundation

/// A stable, keyed-hash stand-in for a person.
///
/// Derived as HMAC-SHA256(key, platform \u{0} workspace \u{0} user) so the same person always maps to the
/// same pseudonym, but nobody without the key can test a guessed user id against the stored value.
/// - Important: the raw platform user id must never be stored next to a pseudonym outside the
///   delivery-address table, and never logged.
public struct Pseudonym: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    public init(rawValue: String) { self.value = rawValue }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        self.value = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// The platform identity of a person: the only place a raw user id appears in the domain.
public struct PlatformUser: Hashable, Sendable {
    public var platform: Platform
    public var workspace: String
    public var userID: String

    public init(platform: Platform, workspace: String, userID: String) {
        self.platform = platform
        self.workspace = workspace
        self.userID = userID
    }
}

public enum Platform: String, Sendable, Codable, CaseIterable {
    case slack, teams
}

/// Turns platform identities into pseudonyms with a secret key.
public struct Pseudonymizer: Sendable {
    /// HMAC-SHA256 with the key already absorbed: each pseudonym copies it instead of hashing the key's pads
    /// again (every `/reflect` derives one).
    private let keyed: HMAC<SHA256>

    /// - Parameter secret: the `DEBRIEF_PSEUDONYM_KEY`; at least 16 bytes.
    public init(secret: String) {
        self.keyed = HMAC<SHA256>(key: SymmetricKey(data: Data(secret.utf8)))
    }

    public func pseudonym(for user: PlatformUser) -> Pseudonym {
        // One buffer for the message and ASCII bytes for the text: this runs on every request, and three `Data`
        // pieces and per-`Character` appends were most of its cost after the hash itself.
        var message: [UInt8] = []
        message.reserveCapacity(user.workspace.utf8.count + user.userID.utf8.count + 8)
        message.append(contentsOf: user.platform.rawValue.utf8)
        message.append(0)
        message.append(contentsOf: user.workspace.utf8)
        message.append(0)
        message.append(contentsOf: user.userID.utf8)
        var hmac = keyed
        hmac.update(data: message)
        let mac = hmac.finalize()
        // 128 bits are plenty against collisions among a company's people and keep keys short.
        let text = mac.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: 34) { out in
                out[0] = UInt8(ascii: "p")
                out[1] = UInt8(ascii: "_")
                for (index, byte) in bytes.prefix(16).enumerated() {
                    out[2 + 2 * index] = LowercaseHex.digit(byte >> 4)
                    out[3 + 2 * index] = LowercaseHex.digit(byte & 0x0f)
                }
                return 34
            }
        }
        return Pseudonym(rawValue: text)
    }
}
