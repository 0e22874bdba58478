import Mustache
import Synchronization

/// How a chat platform escapes text Debrief did not write (quotes, names, titles) inside its markup: Slack's
/// mrkdwn escapes `&`, `<` and `>`; Teams' markdown other characters. The adapter supplies it, so the digest
/// templates stay the platform's and DebriefPrompts knows no platform.
///
/// Every `{{value}}` in a digest template is escaped with it (swift-mustache escapes for HTML by default,
/// which would show `&#39;` for every apostrophe in a chat message).
public struct TextMarkup: Sendable {
    /// Names the Mustache content type; letters, digits and underscores only.
    public let name: String
    public let escape: @Sendable (String) -> String

    public init(name: String, escape: @escaping @Sendable (String) -> String) {
        self.name = name
        self.escape = escape
    }

    /// For checking templates only (`debrief prompts check`): parsing does not depend on the escaping.
    static let syntaxCheck = TextMarkup(name: "DEBRIEF_SYNTAX_CHECK") { $0 }

    /// Registers the markup as a Mustache content type once, before the first template that uses it is parsed.
    func register() {
        Self.registered.withLock { names in
            guard !names.contains(name) else { return }
            MustacheContentTypes.register(MarkupContentType(markup: self), named: name)
            names.insert(name)
        }
    }

    private static let registered = Mutex<Set<String>>([])
}

/// A ``TextMarkup`` as swift-mustache's content type.
private struct MarkupContentType: MustacheContentType {
    let markup: TextMarkup

    func escapeText(_ text: String) -> String { markup.escape(text) }
}
