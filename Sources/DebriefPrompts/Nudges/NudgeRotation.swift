/// Picks which of a stage's wordings a person gets.
///
/// People who get the same sentence every time stop reading it, and colleagues comparing DMs should
/// not all see the same text. The pick is a pure function of the pseudonym, the stage's position and
/// the attempt, so it needs no stored state, survives restarts, and can be tested:
///
///     index = (FNV-1a-64(pseudonym as UTF-8) + stageIndex + attempt) mod count
///
/// FNV-1a is used instead of `Hasher` because `Hasher` is seeded per process; changing this formula
/// only reshuffles wordings, it never affects schedules or data.
public enum NudgeRotation {
    /// The wording index in `0..<count` (0 when `count` is below 1).
    public static func index(pseudonym: String, stageIndex: Int, attempt: Int, count: Int) -> Int {
        guard count > 1 else { return 0 }
        let mixed = fnv1a(pseudonym) &+ UInt64(max(0, stageIndex)) &+ UInt64(max(0, attempt))
        return Int(mixed % UInt64(count))
    }

    /// 64-bit FNV-1a over the UTF-8 bytes of `text`.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
