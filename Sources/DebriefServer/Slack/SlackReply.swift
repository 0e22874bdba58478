import DebriefCore
import Foundation
import HTTPTypes

/// What the Slack endpoint answers, independent of the HTTP server in use.
public struct SlackReply: Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var contentType: String?
    public var body: Data
    public var extraHeaders: [(String, String)]

    public init(
        status: HTTPResponse.Status, contentType: String? = nil, body: Data = Data(),
        extraHeaders: [(String, String)] = []
    ) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.extraHeaders = extraHeaders
    }

    public static func == (lhs: SlackReply, rhs: SlackReply) -> Bool {
        lhs.status == rhs.status && lhs.contentType == rhs.contentType && lhs.body == rhs.body
    }

    /// An empty 200: Slack's "acknowledged, nothing to show".
    public static let ack = SlackReply(status: .ok)

    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> SlackReply {
        encodedJSON(value.encoded(), status: status)
    }

    /// A JSON answer already encoded (from a template).
    public static func encodedJSON(_ body: Data, status: HTTPResponse.Status = .ok) -> SlackReply {
        SlackReply(status: status, contentType: "application/json; charset=utf-8", body: body)
    }

    public static func text(_ text: String, status: HTTPResponse.Status) -> SlackReply {
        SlackReply(status: status, contentType: "text/plain; charset=utf-8", body: Data(text.utf8))
    }

    /// Bolt's shape for a failed check: a short JSON error with a one-line reason.
    public static func error(_ status: HTTPResponse.Status, _ reason: String) -> SlackReply {
        json(["error": .string(reason)], status: status)
    }
}
