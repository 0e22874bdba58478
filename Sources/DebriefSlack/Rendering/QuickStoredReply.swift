import DebriefCore
import DebriefPrompts
import Foundation

/// The answer to `/reflect <text>`, encoded from a template made once per prompt library.
///
/// Why: it is the reply on the hot path, and the same document every time but for the quoted reflection and its
/// id; building its tree of nine objects and encoding it was about 4% of a request's CPU. The template is
/// ``SlackReplies/quickStored(reflectionID:text:)``'s own document, encoded once with a marker in place of each of
/// the two values and cut at the markers, and the values are cut to the same limits and escaped as the encoder
/// would: the bytes are the document's (a test compares them on random texts). Should the prompts themselves
/// contain a marker, there is no template and every reply is encoded from its document.
public struct QuickStoredReply: Sendable {
    /// The encoded document around its two values, in the order they appear: `prefix`, the first value, `middle`,
    /// the second value, `suffix`.
    private struct Template: Sendable {
        var prefix: [UInt8]
        var middle: [UInt8]
        var suffix: [UInt8]
        var sectionFirst: Bool
    }

    private let replies: SlackReplies
    private let template: Template?

    static let sectionMarker = "\u{E000}debrief-quick-section\u{E001}"
    static let idMarker = "\u{E000}debrief-quick-id\u{E001}"

    public init(prompts: PromptLibrary) {
        replies = SlackReplies(prompts: prompts)
        let bytes = [UInt8](
            replies.quickStored(reflectionID: Self.idMarker, section: Self.sectionMarker).encoded())
        template = Self.template(cutting: bytes)
    }

    /// The reply's JSON for `text` stored as `reflectionID`.
    public func encoded(reflectionID: String, text: String) -> Data {
        guard let template else {
            return replies.quickStored(reflectionID: reflectionID, text: text).encoded()
        }
        // The limits BlockKit applies to these two values (both are far shorter than a marker in the template).
        let section = BlockKit.truncate(replies.quickStoredSection(text), to: BlockKit.Limit.sectionText)
        let id = BlockKit.truncate(reflectionID, to: BlockKit.Limit.buttonValue)
        let (first, second) = template.sectionFirst ? (section, id) : (id, section)
        var bytes = template.prefix
        bytes.reserveCapacity(
            bytes.count + template.middle.count + template.suffix.count + section.utf8.count + 64)
        JSONValue.appendStringContent(first, to: &bytes)
        bytes.append(contentsOf: template.middle)
        JSONValue.appendStringContent(second, to: &bytes)
        bytes.append(contentsOf: template.suffix)
        return Data(bytes)
    }

    /// The encoded document cut at its markers, or nil unless each occurs exactly once.
    private static func template(cutting bytes: [UInt8]) -> Template? {
        guard let section = onlyRange(of: Array(sectionMarker.utf8), in: bytes),
            let id = onlyRange(of: Array(idMarker.utf8), in: bytes)
        else { return nil }
        let (first, second) = section.lowerBound < id.lowerBound ? (section, id) : (id, section)
        return Template(
            prefix: Array(bytes[..<first.lowerBound]), middle: Array(bytes[first.upperBound..<second.lowerBound]),
            suffix: Array(bytes[second.upperBound...]), sectionFirst: first == section)
    }

    /// Where `needle` occurs in `bytes`, when it occurs exactly once.
    private static func onlyRange(of needle: [UInt8], in bytes: [UInt8]) -> Range<Int>? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var found: Range<Int>?
        for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle)
        {
            if found != nil { return nil }
            found = start..<(start + needle.count)
        }
        return found
    }
}
