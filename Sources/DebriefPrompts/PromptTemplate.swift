/// Fills `{name}` placeholders in a prompt text.
///
/// Deliberately tiny: prompt authors only need to drop values into sentences, and a full template
/// language would let a typo silently render nothing. Unknown placeholders are caught when the
/// library loads, not at render time.
public enum PromptTemplate {
    /// Replaces each `{name}` with its value; placeholders without a value are left as written.
    public static func render(_ template: String, _ values: [String: String]) -> String {
        guard template.contains("{") else { return template }
        var output = ""
        output.reserveCapacity(template.utf8.count)
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}") {
                let name = String(rest[afterOpen..<close])
                if isPlaceholderName(name), let value = values[name] {
                    output += value
                    rest = rest[rest.index(after: close)...]
                    continue
                }
            }
            output += "{"
            rest = rest[afterOpen...]
        }
        output += rest
        return output
    }

    /// The `{name}` placeholders a template uses, in order of first appearance.
    public static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else { break }
            let name = String(rest[afterOpen..<close])
            if isPlaceholderName(name) {
                if !names.contains(name) { names.append(name) }
                rest = rest[rest.index(after: close)...]
            } else {
                rest = rest[afterOpen...]
            }
        }
        return names
    }

    static func isPlaceholderName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 40
            && name.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "_") }
    }
}
