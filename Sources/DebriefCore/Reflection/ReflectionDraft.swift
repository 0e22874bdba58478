import Foundation

/// What a person submitted in the reflection form, before validation.
///
/// Platform adapters fill it from a Slack modal or a Teams card; `validate()` is the one place the rules
/// live, so both platforms show the same errors on the same fields.
public struct ReflectionDraft: Sendable, Equatable {
    public var text: String?
    public var taskCategory: String?
    public var tool: String?
    public var outcome: String?
    public var minutesSaved: String?
    public var confidence: String?
    public var blockers: [String]
    public var consent: String?

    public init(
        text: String? = nil, taskCategory: String? = nil, tool: String? = nil, outcome: String? = nil,
        minutesSaved: String? = nil, confidence: String? = nil, blockers: [String] = [], consent: String? = nil
    ) {
        self.text = text
        self.taskCategory = taskCategory
        self.tool = tool
        self.outcome = outcome
        self.minutesSaved = minutesSaved
        self.confidence = confidence
        self.blockers = blockers
        self.consent = consent
    }

    /// The longest free text we accept; Slack's own input cap is 3000.
    public static let maximumTextLength = 3000
    public static let minimumTextLength = 3
    public static let maximumToolLength = 80

    /// Validates the draft into the fields of a reflection, or names each field that is wrong.
    public func validate() -> Result<ValidReflectionFields, ReflectionValidationErrors> {
        var errors: [ReflectionFormField: ReflectionFieldProblem] = [:]
        let trimmed = (text ?? "").trimmingWhitespace()
        if trimmed.isEmpty {
            errors[.text] = .missing
        } else if trimmed.count < Self.minimumTextLength {
            errors[.text] = .tooShort(minimum: Self.minimumTextLength)
        } else if trimmed.count > Self.maximumTextLength {
            errors[.text] = .tooLong(maximum: Self.maximumTextLength)
        }
        let category = Self.parse(taskCategory, as: TaskCategory.self, field: .taskCategory, into: &errors)
        let outcome = Self.parse(outcome, as: Outcome.self, field: .outcome, into: &errors)
        let minutes = Self.parse(minutesSaved, as: MinutesSaved.self, field: .minutesSaved, into: &errors)
        var confidenceValue: Int?
        if let confidence, !confidence.isEmpty {
            if let value = Int(confidence), (1...5).contains(value) {
                confidenceValue = value
            } else {
                errors[.confidence] = .notOneOf(["1", "2", "3", "4", "5"])
            }
        }
        var blockerValues: [Blocker] = []
        for raw in blockers {
            if let blocker = Blocker(rawValue: raw) {
                if !blockerValues.contains(blocker) { blockerValues.append(blocker) }
            } else {
                errors[.blockers] = .notOneOf(Blocker.allCases.map(\.rawValue))
            }
        }
        let consentValue = Self.parse(consent, as: Consent.self, field: .consent, into: &errors) ?? .aggregateOnly
        let toolTrimmed = tool?.trimmingWhitespace()
        if let toolTrimmed, toolTrimmed.count > Self.maximumToolLength {
            errors[.tool] = .tooLong(maximum: Self.maximumToolLength)
        }
        if outcome == .noDifference || outcome == .worse, let minutes, minutes != .none {
            errors[.minutesSaved] = .contradicts(.outcome)
        }
        guard errors.isEmpty else { return .failure(ReflectionValidationErrors(problems: errors)) }
        return .success(
            ValidReflectionFields(
                text: trimmed, taskCategory: category,
                tool: (toolTrimmed?.isEmpty ?? true) ? nil : toolTrimmed,
                outcome: outcome, minutesSaved: minutes, confidence: confidenceValue,
                blockers: blockerValues, consent: consentValue))
    }

    private static func parse<Value: RawRepresentable & CaseIterable>(
        _ raw: String?, as type: Value.Type, field: ReflectionFormField,
        into errors: inout [ReflectionFormField: ReflectionFieldProblem]
    ) -> Value? where Value.RawValue == String {
        guard let raw, !raw.isEmpty else { return nil }
        guard let value = Value(rawValue: raw) else {
            errors[field] = .notOneOf(Value.allCases.map(\.rawValue))
            return nil
        }
        return value
    }
}

/// The validated content of a reflection form.
public struct ValidReflectionFields: Sendable, Equatable {
    public var text: String
    public var taskCategory: TaskCategory?
    public var tool: String?
    public var outcome: Outcome?
    public var minutesSaved: MinutesSaved?
    public var confidence: Int?
    public var blockers: [Blocker]
    public var consent: Consent
}

/// The fields of the reflection form, named the same on every platform.
public enum ReflectionFormField: String, CaseIterable, Sendable, Hashable {
    case text
    case taskCategory = "task_category"
    case tool, outcome
    case minutesSaved = "minutes_saved"
    case confidence,
        blockers, consent
}

/// Why one field was rejected. Adapters turn it into words from `prompts/`.
public enum ReflectionFieldProblem: Sendable, Equatable {
    case missing
    case tooShort(minimum: Int)
    case tooLong(maximum: Int)
    case notOneOf([String])
    case contradicts(ReflectionFormField)
}

public struct ReflectionValidationErrors: Error, Sendable, Equatable {
    public var problems: [ReflectionFormField: ReflectionFieldProblem]
}
