/// Lowercase hexadecimal digits, as ASCII bytes: for the texts written byte by byte on every request (reflection
/// ids, pseudonyms, JSON's `\u00XX` escapes).
enum LowercaseHex {
    /// The digit of `nibble` (0–15): `0`–`9`, then `a`–`f`.
    static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + (nibble & 0x0f) - 10
    }
}
