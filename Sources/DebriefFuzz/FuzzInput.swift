import Foundation

/// The bytes of one input, with the views the targets need.
struct FuzzInput: Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var data: Data { Data(bytes) }

    /// The bytes as text the way the server turns request bytes into a `String` (invalid UTF-8 repaired).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The first `count - 1` lines and then everything after them (which may contain more newlines): how the
    /// targets that take several values (a header and a body, an id and a signature) read one input. Missing
    /// parts are empty.
    func parts(_ count: Int) -> [String] {
        var pieces = bytes.split(
            separator: UInt8(ascii: "\n"), maxSplits: max(0, count - 1), omittingEmptySubsequences: false
        )
        .map { String(decoding: $0, as: UTF8.self) }
        while pieces.count < count { pieces.append("") }
        return pieces
    }

    /// The first byte as a small number (0 when empty) and the rest: lets one input pick a variant.
    var selector: (value: Int, rest: FuzzInput) {
        guard let first = bytes.first else { return (0, self) }
        return (Int(first), FuzzInput(Array(bytes.dropFirst())))
    }
}
