import Foundation
import Testing

/// Loads payloads saved under `Fixtures/` (copied into the test bundle).
enum Fixture {
    struct Missing: Error, CustomStringConvertible {
        var name: String
        var description: String { "fixture \(name) is not in the test bundle" }
    }

    static func data(_ name: String) throws -> Data {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2,
            let url = Bundle.module.url(forResource: parts[0], withExtension: parts[1], subdirectory: "Fixtures")
        else { throw Missing(name: name) }
        return try Data(contentsOf: url)
    }
}
