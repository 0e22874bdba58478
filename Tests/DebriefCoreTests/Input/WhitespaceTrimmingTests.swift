import DebriefCore
import Foundation
import PropertyBased
import Testing

/// `trimmingWhitespace()` replaced Foundation's trimming on the `/reflect` path; it must remove exactly what
/// Foundation removes, or stored reflections would change.
@Suite("Trimming white space")
struct WhitespaceTrimmingTests {
    /// Text rich in the edge cases: every White_Space scalar, other separators and format characters (U+200B,
    /// U+FEFF are not white space), combining marks next to spaces, emoji.
    static let edgy: [Unicode.Scalar] = [
        " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}", "\u{2028}",
        "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{200B}", "\u{FEFF}", "\u{301}", "a", "é", "😀", "\u{00}",
    ]
    static let text = Gen<Int>.int(in: 0...(edgy.count + 50)).map { pick -> Unicode.Scalar in
        pick < edgy.count ? edgy[pick] : Unicode.Scalar(UInt8(32 + pick))
    }.array(of: 0...12).map { scalars in
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    @Test("removes exactly what Foundation's trimmingCharacters(in: .whitespacesAndNewlines) removes")
    func matchesFoundation() async {
        await propertyCheck(count: 5_000, input: Self.text) { text in
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    @Test("every scalar of the Basic Multilingual Plane is trimmed alone exactly when Foundation trims it")
    func everyScalarAlone() {
        var differing: [UInt32] = []
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = " \(scalar)x"
            if text.trimmingWhitespace() != text.trimmingCharacters(in: .whitespacesAndNewlines) {
                differing.append(value)
            }
        }
        #expect(differing.isEmpty, "differs at \(differing.prefix(10))")
    }
}
