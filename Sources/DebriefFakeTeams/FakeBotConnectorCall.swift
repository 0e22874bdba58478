import Foundation

/// One request the fake Microsoft side received, kept for assertions.
public struct FakeBotConnectorCall: Sendable {
    /// Which endpoint answered it.
    public var route: FakeTeams.Route
    /// `POST`, `PUT`, `GET`.
    public var method: String
    /// The path exactly as sent, percent-encoding included (`/v3/conversations/19%3Aabc…/activities`).
    public var rawPath: String
    /// The `{conversationId}` path segment, decoded.
    public var conversationID: String?
    /// The `{activityId}` path segment, decoded.
    public var activityID: String?
    /// The `{teamId}` path segment, decoded.
    public var teamID: String?
    /// The authority tenant of a token request (`/{tenant}/oauth2/v2.0/token`).
    public var tenant: String?
    /// Query parameters, decoded; first value wins.
    public var query: [String: String]
    /// The bearer token sent, if any.
    public var token: String?
    public var contentType: String?
    public var body: Data

    /// The body decoded as `T` (for example the adapter's `Activity` or `JSONValue`), nil when it does not decode.
    public func json<T: Decodable>(as type: T.Type) -> T? {
        try? JSONDecoder().decode(type, from: body)
    }

    /// A form body's fields (token requests), decoded; first value wins.
    public var form: [String: String] {
        FakeBotConnectorBackend.decodeForm(String(decoding: body, as: UTF8.self))
    }

    /// True when the body was sent as `application/json`.
    public var isJSON: Bool {
        contentType?.lowercased().hasPrefix("application/json") ?? false
    }
}
