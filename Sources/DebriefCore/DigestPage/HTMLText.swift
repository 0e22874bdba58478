/// Escaping for text placed in HTML and SVG.
///
/// Everything on the digest page that is not markup written here goes through ``escape(_:)``: quotes
/// and notes come from people and may contain `<script>`, and even labels from the configuration
/// (team names) are typed by admins.
enum HTMLText {
    /// Replaces `& < > " '` with entities; safe inside element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        guard text.contains(where: { "&<>\"'".contains($0) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A coordinate or length for SVG with at most one decimal, without locale or exponent.
    static func number(_ value: Double) -> String {
        guard let tenths = Int.rounding(value * 10) else { return "0" }
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        let whole = magnitude / 10
        let fraction = magnitude % 10
        return fraction == 0 ? sign + String(whole) : sign + String(whole) + "." + String(fraction)
    }
}
