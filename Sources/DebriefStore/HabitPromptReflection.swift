import DebriefCore

/// The SQL spelling of ``HabitPromptKind/answerWhenReflected``, shared by the SQLite and PostgreSQL stores, so
/// the rule lives in the core and both stores apply it inside the write that stores a quick reflection.
public enum HabitPromptReflection {
    /// `CASE kind WHEN 'keep_asking' THEN 'keep' … END`: the answer a reflection gives a prompt of each kind.
    public static let answerExpression: String = {
        let cases = HabitPromptKind.allCases.compactMap { kind in
            kind.answerWhenReflected.map { "WHEN '\(kind.rawValue)' THEN '\($0.rawValue)'" }
        }
        return "CASE kind \(cases.joined(separator: " ")) END"
    }()

    /// `('keep_asking', …)`: the kinds a reflection answers.
    public static let answeredKinds: String = {
        let kinds = HabitPromptKind.allCases.filter { $0.answerWhenReflected != nil }.map { "'\($0.rawValue)'" }
        return "(\(kinds.joined(separator: ", ")))"
    }()
}
