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
