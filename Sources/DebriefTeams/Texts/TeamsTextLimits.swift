/// How long each kind of Teams text may be, checked when the texts load (UTF-16 units).
///
/// Adaptive Cards set no hard limits; these keep a card readable on a phone and well under the ~28 KB
/// Teams accepts for one card (reference `teams.md` §5).
enum TeamsTextLimits {
    /// Teams cuts longer button titles with "…".
    static let button = 40
    static let title = 150
    static let label = 200
    static let placeholder = 150
    static let option = 75
    static let paragraph = 1_000
    static let fieldError = 300
    static let line = 300
    static let message = 3_000
    static let welcomeSections = 20
}
