/// Where the pseudonym key comes from. The store derives the keys that seal platform identifiers from it
/// (see `IdentifierSealer`), so it needs the key from the moment it is opened — also to convert older rows.
public enum PseudonymKeySource: Sendable, Equatable {
    /// `DEBRIEF_PSEUDONYM_KEY`: kept outside the database, so a copy of the database alone links no reflection
    /// to a person.
    case configured(String)
    /// Generated once and kept in the database itself (zero-configuration start). Pseudonyms stay stable, but
    /// a copy of the database carries the key and so re-identifies everyone.
    case keptInDatabase

    /// The configured key, or ``keptInDatabase`` when none is configured.
    public init(configured key: String?) {
        self = key.map(PseudonymKeySource.configured) ?? .keptInDatabase
    }

    /// The name under which ``keptInDatabase`` keeps the key (`Store.instanceSecret(named:generate:)`).
    public static let instanceSecretName = "pseudonym-key"
}
