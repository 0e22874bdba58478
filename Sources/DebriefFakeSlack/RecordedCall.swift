import DebriefCore
import Foundation

/// One request the fake Slack received, decoded for assertions.
public struct RecordedCall: Sendable {
    /// The Web API method (`chat.postMessage`), or ``FakeSlack/responseURLMethod`` for response URL posts.
    public var method: String
    /// For response URL posts: the id in `/response/<id>`.
    public var responseID: String?
    /// The bearer token sent, if any.
    public var token: String?
    public var contentType: String?
    public var body: Data
    /// The body as JSON, when it was JSON.
    public var json: JSONValue?
    /// The body's fields, when it was a form.
    public var form: [String: String]

    public init(
        method: String, responseID: String? = nil, token: String?, contentType: String?, body: Data,
        json: JSONValue?, form: [String: String]
    ) {
        self.method = method
        self.responseID = responseID
        self.token = token
        self.contentType = contentType
        self.body = body
        self.json = json
        self.form = form
    }

    /// An argument from a JSON body or a form field (as a string).
    public func argument(_ name: String) -> JSONValue? {
        if let value = json?[name] { return value }
        return form[name].map(JSONValue.string)
    }

    /// An argument as a string; JSON-encoded strings (Slack accepts `view` and `blocks` as strings) stay as given.
    public func string(_ name: String) -> String? {
        argument(name)?.stringValue
    }

    /// True when the body was sent as `application/json`.
    public var isJSON: Bool {
        contentType?.lowercased().hasPrefix("application/json") ?? false
    }
}
