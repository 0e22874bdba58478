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
        // Nothing to trim (most text): the same string, not a copy of it.
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return self }
        return String(scalars[first...last])
    }

    private static func isTrimmed(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII without a Unicode property lookup (which showed in every `/reflect`'s profile): its White_Space
        // scalars are U+0009–U+000D and the space.
        if scalar.isASCII { return (0x09...0x0D).contains(scalar.value) || scalar.value == 0x20 }
        return scalar.properties.isWhitespace || scalar == "\u{200B}"
    }
}
