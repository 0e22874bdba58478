import DebriefCore

/// The JSON body answering an `adaptiveCard/action` invoke (reference `teams.md` §1.4).
///
/// The HTTP status is always 200; the body's own `statusCode` (camelCase: `status` makes Teams show
/// "Unable to reach app") and `type` tell Teams what to do: replace the card, show a message, or show an error.
public enum TeamsInvokeResponse {
    public static let cardType = "application/vnd.microsoft.card.adaptive"
    public static let messageType = "application/vnd.microsoft.activity.message"
    public static let errorType = "application/vnd.microsoft.error"

    /// Replace the clicked card with `card` in place.
    public static func card(_ card: JSONValue) -> JSONValue {
        ["statusCode": 200, "type": .string(cardType), "value": card]
    }

    /// Show `text` as a short message and keep the card.
    public static func message(_ text: String) -> JSONValue {
        ["statusCode": 200, "type": .string(messageType), "value": .string(text)]
    }

    /// An error Teams shows on the card: 400 for a payload Debrief cannot use, 500 for its own failure.
    ///
    /// - Parameter message: for the person and the logs; never a person's text, ids or secrets.
    public static func error(statusCode: Int = 400, code: String, message: String) -> JSONValue {
        [
            "statusCode": .number(Double(statusCode)), "type": .string(errorType),
            "value": ["code": .string(code), "message": .string(message)],
        ]
    }

    /// The error for a payload that could not be decoded.
    public static func error(_ error: TeamsCardActionError) -> JSONValue {
        self.error(statusCode: 400, code: error.code, message: error.description)
    }
}
