import DebriefCore
import Foundation
import Testing

@Suite("Pseudonyms")
struct PseudonymTests {
    let alice = PlatformUser(platform: .slack, workspace: "T0001", userID: "U0001")

    @Test("stable for the same person and key, and never contain the user id")
    func stable() {
        let pseudonymizer = Pseudonymizer(secret: "a-test-key-of-enough-length")
        let first = pseudonymizer.pseudonym(for: alice)
        #expect(first == pseudonymizer.pseudonym(for: alice))
        #expect(!first.value.contains("U0001"))
        #expect(first.value.hasPrefix("p_") && first.value.count == 34)
    }

    @Test("differ across people, workspaces, platforms and keys")
    func distinct() {
        let pseudonymizer = Pseudonymizer(secret: "a-test-key-of-enough-length")
        let others = [
            PlatformUser(platform: .slack, workspace: "T0001", userID: "U0002"),
            PlatformUser(platform: .slack, workspace: "T0002", userID: "U0001"),
            PlatformUser(platform: .teams, workspace: "T0001", userID: "U0001"),
            // The separator keeps ("T00", "01U0001") from colliding with ("T0001", "U0001").
            PlatformUser(platform: .slack, workspace: "T00", userID: "01U0001"),
        ]
        let mine = pseudonymizer.pseudonym(for: alice)
        for other in others { #expect(pseudonymizer.pseudonym(for: other) != mine) }
        #expect(Pseudonymizer(secret: "another-key-of-enough-length").pseudonym(for: alice) != mine)
    }
}

@Suite("Identifiers")
struct IdentifierTextTests {
    @Test("a UUID's lowercase text is its uuidString lowercased, dashes and all")
    func lowercaseText() {
        let fixed = UUID(
            uuid: (0x00, 0x1f, 0xa0, 0xff, 0x10, 0x9a, 0x4b, 0xc0, 0x8d, 0xe1, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd))
        #expect(fixed.lowercaseText == "001fa0ff-109a-4bc0-8de1-23456789abcd")
        for _ in 0..<200 {
            let uuid = UUID()
            #expect(uuid.lowercaseText == uuid.uuidString.lowercased())
        }
    }

    @Test("drawn ids are random version-4 UUIDs: version and variant set, the other 122 bits varying, none repeated")
    func systemRandom() throws {
        let drawn = (0..<10_000).map { _ in UUID.systemRandom() }
        #expect(Set(drawn).count == drawn.count)
        var ones = [Int](repeating: 0, count: 128)
        for uuid in drawn {
            let text = uuid.lowercaseText
            let characters = Array(text)
            #expect(characters[14] == "4", "version 4: \(text)")
            #expect("89ab".contains(characters[19]), "RFC variant: \(text)")
            #expect(UUID(uuidString: text) == uuid)
            withUnsafeBytes(of: uuid.uuid) { bytes in
                for bit in 0..<128 where bytes[bit / 8] & (0x80 >> UInt8(bit % 8)) != 0 { ones[bit] += 1 }
            }
        }
        // The fixed bits: version 0100 (bits 48–51), variant 10 (bits 64–65).
        let fixed: [Int: Int] = [48: 0, 49: drawn.count, 50: 0, 51: 0, 64: drawn.count, 65: 0]
        for bit in 0..<128 {
            if let expected = fixed[bit] {
                #expect(ones[bit] == expected, "bit \(bit)")
            } else {
                // Each free bit is set in about half the draws (±5 standard deviations of 10,000 coin flips).
                #expect((4_750...5_250).contains(ones[bit]), "bit \(bit) set \(ones[bit]) times in 10,000")
            }
        }
    }
}

@Suite("Pseudonyms: the keyed hash")
struct PseudonymVectorTests {
    /// Computed independently (Python's `hmac` module): HMAC-SHA256(key, "slack\0T0001\0U0001"), first 16 bytes.
    @Test("is HMAC-SHA256 of platform, workspace and user, however many are derived with one key")
    func knownAnswer() {
        let pseudonymizer = Pseudonymizer(secret: "test-pseudonym-key-0123456789")
        let alice = PlatformUser(platform: .slack, workspace: "T0001", userID: "U0001")
        let bob = PlatformUser(platform: .slack, workspace: "T0001", userID: "U0002")
        #expect(pseudonymizer.pseudonym(for: alice).value == "p_b4c381d7b82e292bff7a2d0bc102b74b")
        _ = pseudonymizer.pseudonym(for: bob)
        #expect(pseudonymizer.pseudonym(for: alice).value == "p_b4c381d7b82e292bff7a2d0bc102b74b")
    }
}
