/// Sentences shown under a form field the core's validation rejected, one per `ReflectionFieldProblem`.
public struct ValidationTexts: Sendable, Equatable {
    public var missing: String
    /// Contains `{minimum}`.
    public var tooShort: String
    /// Contains `{maximum}`.
    public var tooLong: String
    public var notOneOf: String
    /// May contain `{other}`, the label of the field it contradicts.
    public var contradicts: String
    /// Shown when saving failed on Debrief's side, with the form kept open.
    public var storageFailed: String

    public init(
        missing: String, tooShort: String, tooLong: String, notOneOf: String, contradicts: String, storageFailed: String
    ) {
        self.missing = missing
        self.tooShort = tooShort
        self.tooLong = tooLong
        self.notOneOf = notOneOf
        self.contradicts = contradicts
        self.storageFailed = storageFailed
    }
}
