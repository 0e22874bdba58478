import Foundation

/// One stored value as a database file holds it, for copying a whole installation from one backend to another
/// (`debrief migrate --from … --to …`).
///
/// Why a value of its own rather than a record type per table: the copy moves rows byte for byte, sealed
/// identifiers included, without knowing what they mean; the five cases are SQLite's storage classes, and the
/// writer converts each to the type its own column declares (an integer 0/1 to a boolean, a real to a double).
public enum StoreValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    /// The storage class, for messages that say what was found where something else was expected (never the
    /// value itself: it may be a reflection's text or a sealed identifier).
    public var kind: String {
        switch self {
        case .null: "NULL"
        case .integer: "an integer"
        case .real: "a real number"
        case .text: "text"
        case .blob: "a blob"
        }
    }
}
