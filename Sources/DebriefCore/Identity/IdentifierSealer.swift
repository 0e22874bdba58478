import Crypto
import Foundation

/// Encrypts the platform identifiers Debrief must keep (delivery addresses, participant lists waiting to be
/// resolved, who could not be reached) with a key derived from the pseudonym key.
///
/// Why: reflections are keyed by pseudonyms, and a pseudonym is a keyed hash of the platform identity. If the
/// user id were stored in clear next to the pseudonym, a copy of the database alone would link every reflection
/// to a person. Sealed, the copy links nothing unless the pseudonym key travels with it.
///
/// Each purpose gets its own key (HKDF-SHA256 from the pseudonym key, the purpose as `info`), and each sealed
/// value is bound to its row (`context`, authenticated but not encrypted), so a value moved to another row or
/// column fails to open. AES-GCM with a fresh random nonce per value: equal plaintexts give unequal sealed
/// values, so nobody can tell two rows hold the same id.
/// - Important: never log a sealed value's plaintext; the error type carries no data.
public struct IdentifierSealer: Sendable {
    /// What the sealed values are; each has its own derived key.
    public enum Purpose: String, Sendable, CaseIterable {
        /// Where a person is reached (platform, workspace, user id; later Teams conversation references).
        case deliveryAddress = "delivery-address"
        /// Where a nudge landed (a direct-message channel id), to update it later.
        case nudgeMessage = "nudge-message"
        /// Identifiers an admin named for a job (participants to resolve, whom to tell the result).
        case jobIdentifiers = "job-identifiers"
        /// People a training's participants could not be resolved to (unknown e-mails and user ids).
        case resolutionReport = "resolution-report"
    }

    /// Format byte in front of every sealed value, so the scheme can change without guessing.
    static let version: UInt8 = 1
    private static let salt = Data("debrief identifier sealing".utf8)

    private let key: SymmetricKey

    /// - Parameter pseudonymKey: the `DEBRIEF_PSEUDONYM_KEY` (or the one kept in the database).
    public init(pseudonymKey: String, purpose: Purpose) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(pseudonymKey.utf8)), salt: Self.salt,
            info: Data("debrief/\(purpose.rawValue)/v\(Self.version)".utf8), outputByteCount: 32)
    }

    /// Encrypts `plaintext` for the row named by `context` (for example the pseudonym it belongs to).
    public func seal(_ plaintext: Data, context: String) throws(SealingError) -> Data {
        do {
            let box = try AES.GCM.seal(plaintext, using: key, authenticating: Data(context.utf8))
            guard let combined = box.combined else { throw SealingError.cannotSeal }
            var sealed = Data([Self.version])
            sealed.append(combined)
            return sealed
        } catch {
            throw SealingError.cannotSeal
        }
    }

    /// Decrypts what ``seal(_:context:)`` made for the same `context` with the same key.
    /// - Throws: ``SealingError/cannotOpen`` for another key, another context, or tampered bytes.
    public func open(_ sealed: Data, context: String) throws(SealingError) -> Data {
        guard sealed.first == Self.version else { throw SealingError.cannotOpen }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst())
            return try AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
        } catch {
            throw SealingError.cannotOpen
        }
    }

    /// Seals a `Codable` value as JSON.
    public func seal<Value: Encodable>(_ value: Value, context: String) throws(SealingError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(value) else { throw SealingError.cannotSeal }
        return try seal(data, context: context)
    }

    /// Opens a value sealed as JSON with the same `context`.
    public func open<Value: Decodable>(_ type: Value.Type, from sealed: Data, context: String) throws(SealingError)
        -> Value
    {
        let data = try open(sealed, context: context)
        guard let value = try? JSONDecoder().decode(type, from: data) else { throw SealingError.cannotOpen }
        return value
    }
}

/// Why a value could not be sealed or opened. Carries no data, so it is safe to log.
public enum SealingError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotSeal
    /// Wrong key (the pseudonym key changed or is missing), wrong row, or damaged bytes.
    case cannotOpen

    public var description: String {
        switch self {
        case .cannotSeal: "a value could not be encrypted"
        case .cannotOpen:
            "a stored value could not be decrypted: the pseudonym key differs from the one it was sealed with"
        }
    }
}
