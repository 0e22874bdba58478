import DebriefCore

/// The words of the reflection form, independent of how a platform lays it out.
///
/// Kept per field (keyed by the core's `ReflectionFormField`) so Slack and Teams label the same
/// question the same way and validation messages can name the field a person sees.
public struct ModalTexts: Sendable, Equatable {
    /// Modal title; Slack allows 24 characters.
    public var title: String
    public var submit: String
    public var close: String
    /// A short paragraph at the top explaining what happens with the answers.
    public var intro: String
    public var fields: [ReflectionFormField: FieldTexts]

    public init(title: String, submit: String, close: String, intro: String, fields: [ReflectionFormField: FieldTexts])
    {
        self.title = title
        self.submit = submit
        self.close = close
        self.intro = intro
        self.fields = fields
    }

    /// The texts of one field. Loading guarantees every field is present; the fallback only keeps
    /// hand-built libraries in tests from crashing.
    public func field(_ field: ReflectionFormField) -> FieldTexts {
        fields[field] ?? FieldTexts(label: field.rawValue)
    }
}

/// Label, placeholder and hint of one form field.
public struct FieldTexts: Sendable, Equatable {
    public var label: String
    /// Only for inputs that show one (text inputs and menus, not radio buttons or checkboxes).
    public var placeholder: String?
    public var hint: String?

    public init(label: String, placeholder: String? = nil, hint: String? = nil) {
        self.label = label
        self.placeholder = placeholder
        self.hint = hint
    }
}

/// The small "thank you" shown after a reflection form is saved.
public struct ThanksTexts: Sendable, Equatable {
    public var title: String
    public var close: String
    public var text: String

    public init(title: String, close: String, text: String) {
        self.title = title
        self.close = close
        self.text = text
    }
}
