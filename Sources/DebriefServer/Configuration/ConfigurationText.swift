/// The number forms an operator types, shared by the components' readers.
enum ConfigurationText {
    /// A whole number written with ASCII digits only (no sign, no spaces), at most 9 of them; nil otherwise.
    static func wholeNumber(_ text: String) -> Int? {
        guard (1...9).contains(text.utf8.count),
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }

    /// A whole number (``wholeNumber(_:)``) within `range`, or `reason`.
    static func wholeNumber(
        _ text: String, in range: some RangeExpression<Int>, otherwise reason: @autoclosure () -> String
    ) throws(InvalidConfigurationValue) -> Int {
        guard let value = wholeNumber(text), range.contains(value) else { throw InvalidConfigurationValue(reason()) }
        return value
    }

    /// A decimal number within `range` (which excludes NaN and infinities), or `reason`.
    static func number(
        _ text: String, in range: ClosedRange<Double>, otherwise reason: @autoclosure () -> String
    ) throws(InvalidConfigurationValue) -> Double {
        guard let value = Double(text), range.contains(value) else { throw InvalidConfigurationValue(reason()) }
        return value
    }

    /// `0.001 to 1000`: a range as people write it (no `.0`, and no `Int(Double)` that could trap).
    static func words(_ range: ClosedRange<Double>) -> String {
        plain(range.lowerBound) + " to " + plain(range.upperBound)
    }

    /// `1` for 1.0, `0.5` for 0.5.
    static func plain(_ value: Double) -> String {
        Int(exactly: value).map(String.init) ?? "\(value)"
    }
}
