import DebriefCore
import Foundation
import PropertyBased
import Testing

/// `JSONValue.encoded()` writes JSON by hand (it answers every Slack request); these check it against
/// Foundation's own decoder and encoder on random documents, including every control character.
@Suite("JSON writing")
struct JSONValueWriterTests {
    /// A random document of depth at most `depth`: strings from any Unicode scalar (controls, quotes,
    /// backslashes, slashes, emoji), keys of lowercase letters, whole and fractional numbers.
    static func document(_ random: inout SeededGenerator, depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth > 0 ? 7 : 5), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(Double(Int.random(in: -1_000_000_000...1_000_000_000, using: &random)))
        case 3:
            return .number(
                Double(Int.random(in: -100_000...100_000, using: &random))
                    / Double([4, 10, 1000].randomElement(using: &random) ?? 1))
        case 4: return .string(text(&random))
        case 5:
            return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in document(&random, depth: depth - 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                let key = String(
                    (0..<Int.random(in: 1...8, using: &random)).map { _ in
                        Character(Unicode.Scalar(UInt8.random(in: 97...122, using: &random)))
                    })
                members[key] = document(&random, depth: depth - 1)
            }
            return .object(members)
        }
    }

    static func text(_ random: inout SeededGenerator) -> String {
        let special: [Unicode.Scalar] = [
            "\"", "\\", "/", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{00}", "\u{1F}", "\u{7F}", "é", "€", "😀",
            "\u{2028}",
        ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...20, using: &random) {
            if Bool.random(using: &random), let pick = special.randomElement(using: &random) {
                scalars.append(pick)
            } else if let scalar = Unicode.Scalar(UInt32.random(in: 0...0x2FF, using: &random)) {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    @Test("what is written reads back as the same document, byte for byte what JSONEncoder writes")
    func matchesFoundation() async throws {
        await propertyCheck(count: 2_000, input: Gen<UInt64>.value(in: 0...UInt64.max)) { seed in
            var random = SeededGenerator(seed: seed)
            let value = Self.document(&random, depth: 3)
            let written = value.encoded()
            #expect((try? JSONValue.decode(written)) == value, "\(String(decoding: written, as: UTF8.self))")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let reference = try? encoder.encode(value)
            #expect(
                reference == written,
                "ours \(String(decoding: written, as: UTF8.self)) vs \(String(decoding: reference ?? Data(), as: UTF8.self))"
            )
        }
    }

    @Test("a number that is not finite is written as null, and the rest of the document is kept")
    func nonFiniteNumbers() {
        let value: JSONValue = ["text": "kept", "ratio": .number(.nan), "limit": .number(.infinity)]
        #expect(String(decoding: value.encoded(), as: UTF8.self) == #"{"limit":null,"ratio":null,"text":"kept"}"#)
    }
}
