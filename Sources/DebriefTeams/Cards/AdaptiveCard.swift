import DebriefCore

/// Small builders for Adaptive Card 1.5 JSON, shared by every Teams renderer.
///
/// Only elements and properties of the official 1.5 schema appear here (checked by
/// ``AdaptiveCardSchemaValidator`` in the tests), and every `Action.Execute` carries an `Action.Submit`
/// fallback with the same data, because older Teams clients do not know `Action.Execute` (reference
/// `teams.md` §5). Texts that came from a person go into ``plain(_:size:weight:subtle:monospace:)`` (a
/// `TextRun`, never parsed as Markdown); texts written in `prompts/teams/` go into ``text(_:size:weight:subtle:color:spacing:)``.
public enum AdaptiveCard {
    /// The `$schema` every card declares.
    public static let schemaURL = "http://adaptivecards.io/schemas/adaptive-card.json"
    /// The highest version Teams renders for bot cards; `Action.Execute` needs at least 1.4.
    public static let version = "1.5"
    /// The attachment content type of an Adaptive Card.
    public static let contentType = "application/vnd.microsoft.card.adaptive"

    /// A top-level card.
    ///
    /// - Parameters:
    ///   - fallbackText: shown by clients that cannot render the card; Markdown, so escape a person's text in it.
    ///   - fullWidth: Teams' own `msteams: {"width": "Full"}` extension, for long forms and digests.
    public static func card(body: [JSONValue], actions: [JSONValue] = [], fallbackText: String, fullWidth: Bool = false)
        -> JSONValue
    {
        var card: [String: JSONValue] = [
            "type": "AdaptiveCard",
            "$schema": .string(schemaURL),
            "version": .string(version),
            "body": .array(body),
            "fallbackText": .string(TeamsMarkup.plain(TeamsMarkup.truncate(fallbackText, to: 1_000))),
        ]
        if !actions.isEmpty { card["actions"] = .array(actions) }
        if fullWidth { card["msteams"] = ["width": "Full"] }
        return .object(card)
    }

    /// A Markdown `TextBlock` for texts from `prompts/teams/` (values inside already escaped with
    /// ``TeamsMarkup/escape(_:)``); always wraps.
    public static func text(
        _ markdown: String, size: String? = nil, weight: String? = nil, subtle: Bool = false, color: String? = nil,
        spacing: String? = nil
    ) -> JSONValue {
        var block: [String: JSONValue] = ["type": "TextBlock", "text": .string(markdown), "wrap": true]
        if let size { block["size"] = .string(size) }
        if let weight { block["weight"] = .string(weight) }
        if subtle { block["isSubtle"] = true }
        if let color { block["color"] = .string(color) }
        if let spacing { block["spacing"] = .string(spacing) }
        return .object(block)
    }

    /// A person's own text, shown exactly as typed: a `RichTextBlock` with one `TextRun`, which Teams never
    /// parses as Markdown, so `**`, `[link](…)` and `<at>` show as characters.
    public static func plain(
        _ text: String, size: String? = nil, weight: String? = nil, subtle: Bool = false, italic: Bool = false,
        monospace: Bool = false
    ) -> JSONValue {
        var run: [String: JSONValue] = ["type": "TextRun", "text": .string(TeamsMarkup.plain(text))]
        if let size { run["size"] = .string(size) }
        if let weight { run["weight"] = .string(weight) }
        if subtle { run["isSubtle"] = true }
        if italic { run["italic"] = true }
        if monospace { run["fontType"] = "Monospace" }
        return ["type": "RichTextBlock", "inlines": [.object(run)]]
    }

    /// An `Action.Execute` (answered by an `adaptiveCard/action` invoke, which replaces the card in place)
    /// with an `Action.Submit` fallback carrying the same data (arrives as a message with `value`).
    ///
    /// The verb is also put into `data` under ``TeamsCardData/verb``, because an `Action.Submit` has no verb.
    public static func execute(title: String, verb: TeamsCardVerb, data: [String: JSONValue] = [:]) -> JSONValue {
        var payload = data
        payload[TeamsCardData.verb] = .string(verb.rawValue)
        let submit: JSONValue = [
            "type": "Action.Submit", "title": .string(title), "data": .object(payload),
        ]
        return [
            "type": "Action.Execute", "title": .string(title), "verb": .string(verb.rawValue),
            "data": .object(payload), "fallback": submit,
        ]
    }

    /// A button that opens `url` in the browser.
    public static func openURL(title: String, url: String) -> JSONValue {
        ["type": "Action.OpenUrl", "title": .string(title), "url": .string(url)]
    }

    /// The size of `card` as sent (compact JSON, UTF-8 bytes); Teams refuses cards far above ~28 KB.
    public static func encodedSize(_ card: JSONValue) -> Int { card.encoded().count }

    /// The largest card Debrief sends, in UTF-8 bytes of compact JSON: well under the ~28 KB Teams accepts
    /// for a card and the 40 KB of a whole message (reference `teams.md` §5).
    public static let sizeBudget = 20_480
}
