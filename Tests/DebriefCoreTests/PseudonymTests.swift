import DebriefCore
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
