import DebriefSlack
import Foundation
import PropertyBased
import Testing

/// Property-based checks of the form decoder every slash command and interaction goes through: whatever bytes
/// arrive it answers with fields (never a trap), and any fields encoded the way Slack encodes them decode back
/// exactly.
@Suite("Form decoding, property-based")
struct SlackFormDecoderPropertyTests {
    /// Any Unicode scalar (surrogate code points become U+FFFD), so names and values cover every UTF-8 length.
    static let anyText = Gen<UInt32>.value(in: 0...0x10_FFFF)
        .map { Character(Unicode.Scalar($0) ?? "\u{FFFD}") }.string(of: 0...12)
    /// Mostly the bytes with a meaning in a form body, so malformed escapes and empty fields are common.
    static let formLikeBytes = Gen<UInt8?>.element(of: Array("a=&%+2FzZ0%%=&".utf8) + [0xFF, 0xC3, 0x00])
        .map { $0 ?? 0 }.array(of: 0...60)
    static let anyBytes = Gen<UInt8>.value(in: 0...255).array(of: 0...80)

    /// `application/x-www-form-urlencoded` as Slack writes it: unreserved bytes as they are, space as `+`,
    /// everything else as `%XX` (upper or lower case hex, both occur).
    static func encode(_ fields: [(String, String)], lowercaseHex: Bool) -> [UInt8] {
        let digits = Array((lowercaseHex ? "0123456789abcdef" : "0123456789ABCDEF").utf8)
        func escape(_ text: String) -> [UInt8] {
            var out: [UInt8] = []
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                    UInt8(ascii: "~"):
                    out.append(byte)
                case UInt8(ascii: " "):
                    out.append(UInt8(ascii: "+"))
                default:
                    out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
                }
            }
            return out
        }
        return Array(
            fields.map { escape($0.0) + [UInt8(ascii: "=")] + escape($0.1) }.joined(separator: [UInt8(ascii: "&")]))
    }

    @Test("encoded fields decode back exactly, the first of a repeated name winning")
    func roundTrip() async {
        let field = zip(Self.anyText, Self.anyText)
        await propertyCheck(count: 1_000, input: field.array(of: 0...8), Gen.bool) { fields, lowercaseHex in
            let pairs = fields.map { ($0.0, $0.1) }
            let body = Self.encode(pairs, lowercaseHex: lowercaseHex)
            var expected: [String: String] = [:]
            // An empty name and value still make a segment ("="), which reads back as the field "" = "" (as in
            // browsers); only segments with nothing in them at all ("&&") are skipped.
            for (name, value) in pairs where expected[name] == nil {
                expected[name] = value
            }
            #expect(SlackFormDecoder.decode(body) == expected, "\(String(decoding: body, as: UTF8.self))")
            // Stray separators around the fields add nothing.
            let ampersand = UInt8(ascii: "&")
            #expect(SlackFormDecoder.decode([ampersand] + body + [ampersand, ampersand]) == expected)
            for (name, value) in expected {
                #expect(SlackFormDecoder.value(of: name, in: body) == value)
            }
        }
    }

    @Test("any bytes decode to fields without trapping, and value(of:) agrees with decode()")
    func anyBytesDecode() async {
        await propertyCheck(count: 2_000, input: Gen.oneOf(Self.formLikeBytes, Self.anyBytes)) { bytes in
            let fields = SlackFormDecoder.decode(bytes)
            for (name, value) in fields {
                #expect(SlackFormDecoder.value(of: name, in: bytes) == value)
            }
            // A form body is an unsigned certificate check only when ssl_check is exactly 1.
            if SlackInboundDecoder.isSSLCheck(formBody: bytes) {
                #expect(fields["ssl_check"] == "1")
            }
        }
    }
}
