import Foundation

extension UUID {
    /// `uuidString.lowercased()`, written directly from the bytes. Why: every `/reflect` names its reflection
    /// with one, and Foundation's formatter followed by Unicode-aware lowercasing was about 1% of a request.
    public var lowercaseText: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                var written = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[written] = UInt8(ascii: "-")
                        written += 1
                    }
                    text[written] = LowercaseHex.digit(byte >> 4)
                    text[written + 1] = LowercaseHex.digit(byte & 0x0f)
                    written += 2
                }
                return written
            }
        }
    }
}
