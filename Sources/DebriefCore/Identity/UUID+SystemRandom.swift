import Foundation

extension UUID {
    /// A random (version 4) UUID drawn from the system's generator (`getrandom` on Linux).
    ///
    /// Why not `UUID()`: on Linux, Foundation opens `/dev/urandom`, reads 16 bytes and closes it again for every
    /// UUID, three system calls and a path lookup; every `/reflect` names its reflection with one, and that was
    /// about 2.5% of a request's CPU. Two reads of the same kernel generator give the same randomness.
    public static func systemRandom() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        // RFC 9562: version 4 in the high nibble of byte 6, variant 0b10 in the top bits of byte 8.
        high = (high & ~0x0000_0000_0000_F000) | 0x0000_0000_0000_4000
        low = (low & ~0xC000_0000_0000_0000) | 0x8000_0000_0000_0000
        let bytes = (high.bigEndian, low.bigEndian)
        return withUnsafeBytes(of: bytes) { raw in
            UUID(
                uuid: (
                    raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7],
                    raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]
                ))
        }
    }
}
