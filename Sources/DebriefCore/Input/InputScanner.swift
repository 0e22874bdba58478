/// A cursor over the ASCII bytes of something a person typed, for the strict readers in this folder.
///
/// Why bytes: `Int("+5")`, `Int("٣")`-like leniency and Foundation's forgiving formatters are exactly what
/// let impossible dates and huge numbers through; reading fixed-width ASCII digits by hand leaves no room
/// for either, and no arithmetic here can overflow (at most nine digits are combined into one number).
struct InputScanner {
    let bytes: [UInt8]
    private(set) var index = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var isAtEnd: Bool { index >= bytes.count }

    /// Everything not read yet, as typed.
    var rest: String { String(decoding: bytes[min(index, bytes.count)...], as: UTF8.self) }

    /// The next byte without consuming it.
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Consumes `byte` when it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    /// Consumes the next byte when it is one of `choices`, and returns it.
    mutating func take(oneOf choices: [UInt8]) -> UInt8? {
        guard let next = peek, choices.contains(next) else { return nil }
        index += 1
        return next
    }

    /// Exactly `count` (at most 9) ASCII digits as a number; consumes nothing when they are not there.
    mutating func digits(_ count: Int) -> Int? {
        guard count > 0, count <= 9, index + count <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<count {
            guard let digit = Self.digit(bytes[index + offset]) else { return nil }
            value = value * 10 + digit
        }
        index += count
        return value
    }

    /// One or more digits (as many as follow), as text; nil when none follows.
    mutating func digitRun() -> [UInt8]? {
        let start = index
        while let next = peek, Self.digit(next) != nil { index += 1 }
        return index > start ? Array(bytes[start..<index]) : nil
    }

    static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
