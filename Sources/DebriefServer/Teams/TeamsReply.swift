import DebriefCore
import Foundation
import HTTPTypes

/// What `POST /api/messages` answers: a status and, for invokes, the JSON body Teams acts on.
struct TeamsReply: Sendable, Equatable {
    var status: HTTPResponse.Status
    var body: JSONValue?

    /// Any 2xx acknowledges an activity; Microsoft's adapters answer 200 for events they ignore.
    static let ok = TeamsReply(status: .ok)
    /// No detail: a caller without a valid token learns nothing about why.
    static let unauthorized = TeamsReply(status: .unauthorized)

    static func badRequest(_ reason: String) -> TeamsReply {
        TeamsReply(status: .badRequest, body: ["error": ["code": "BadRequest", "message": .string(reason)]])
    }

    /// An invoke's answer: HTTP 200 whose body's own `statusCode` says what Teams should show.
    static func invoke(_ body: JSONValue) -> TeamsReply { TeamsReply(status: .ok, body: body) }
}
