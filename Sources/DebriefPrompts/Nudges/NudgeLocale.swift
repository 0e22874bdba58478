import Foundation

/// Locale codes for nudge texts, and the fallback rule.
///
/// Slack reports locales like `de-DE`; prompt files are written per language (`de`) and sometimes per
/// region (`de-CH`). Resolution is exact code, then language, then English, so a person never gets
/// nothing and never gets a half-guessed language.
public enum NudgeLocale {
    /// The language every text must exist in, and what everyone else gets.
    public static let fallback = "en"

    /// The code to use among `available` for a person's `requested` locale: the exact code
    /// (normalised to `ll` or `ll-RR`), else its language, else ``fallback``.
    public static func resolve(_ requested: String?, available: Set<String>) -> String {
        guard let requested else { return fallback }
        let code = normalized(requested)
        if available.contains(code) { return code }
        if let dash = code.firstIndex(of: "-") {
            let language = String(code[..<dash])
            if available.contains(language) { return language }
        }
        return fallback
    }

    /// `de_de` → `de-DE`, ` EN ` → `en`.
    static func normalized(_ code: String) -> String {
        let trimmed = code.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "-")
        let parts = trimmed.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first else { return trimmed }
        let language = first.lowercased()
        guard parts.count == 2 else { return language }
        return language + "-" + parts[1].uppercased()
    }

    /// Whether `code` is written the way prompt files must write it: an ISO 639-1 language code,
    /// optionally followed by `-` and a two-letter region (`de`, `de-CH`, `pt-BR`).
    public static func isValidCode(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, isoLanguages.contains(String(parts[0])) else { return false }
        if parts.count == 2 {
            let region = parts[1]
            return region.utf8.count == 2
                && region.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        }
        return true
    }

    /// ISO 639-1 two-letter language codes.
    static let isoLanguages: Set<String> = Set(
        """
        aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz \
        ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii \
        ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi \
        mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw \
        sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk \
        ur uz ve vi vo wa wo xh yi yo za zh zu
        """.split(separator: " ").map(String.init))
}
