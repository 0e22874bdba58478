extension String {
    /// The text without leading and trailing white space and line breaks: exactly what Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` removes on Linux (Unicode's White_Space scalars, which are
    /// the Z categories, U+0009–U+000D and U+0085, plus U+200B ZERO WIDTH SPACE, which Foundation's set also
    /// holds), without bridging through `NSString`, which was a visible share of every `/reflect`.
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !Self.isTrimmed($0) }),
            let last = scalars.lastIndex(where: { !Self.isTrimmed($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    private static func isTrimmed(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar == "\u{200B}"
    }
}
