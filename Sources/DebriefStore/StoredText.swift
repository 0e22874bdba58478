/// Free text as every store keeps it: people's words with U+0000 replaced by U+FFFD.
///
/// Why: a NUL can arrive in a reflection, a training title or a team name (`%00` in a Slack form, `\u0000` in JSON).
/// PostgreSQL's text type refuses it (the write would fail and the reflection be lost), and SQLite stores it but
/// reads the text back cut at the NUL. Both stores write the same replacement, so both give back the whole text.
public enum StoredText {
    /// The text with every NUL replaced by the replacement character.
    public static func storable(_ text: String) -> String {
        guard text.utf8.contains(0) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }))
    }

    public static func storable(_ text: String?) -> String? { text.map(storable) }
}
