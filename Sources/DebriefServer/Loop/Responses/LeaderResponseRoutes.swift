import DebriefCore
import DebriefPlatform
import DebriefStore
import Foundation
import Hummingbird

/// `GET /api/v1/responses`: leaders' responses for the people who run Debrief (admin bearer tokens, like the other
/// admin routes), newest first, a page at a time.
///
/// ```json
/// {"responses": [{"id": "…", "week": "2026-W47", "themes": [{"key": "blocker:no_access", "label": "…"}],
///   "audience": {"all_teams": false, "teams": ["Sales"]}, "text": "…", "created_at": "2026-11-23T10:00:00Z",
///   "author": "Ana Ruiz"}], "next": "…"}
/// ```
///
/// The author is shown by display name only, as team digests show them (leaders consent to being named by
/// responding): never the pseudonym, which would let whoever holds the API output link a response to that
/// person's other pseudonymized rows in a database copy, and never the platform id. When the directory cannot be
/// read or no longer lists the author, `author` is null and `author_note` says why. `limit` (1–200, default 50)
/// bounds a page; `next` is the opaque cursor for `?before=` to get the following page, absent on the last.
struct LeaderResponseRoutes: Sendable {
    let store: any ResponseStore
    /// The directory for display names; nil without a chat platform.
    let directory: DirectoryCache?

    static let defaultLimit = 50
    static let maximumLimit = 200

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("/responses") { request, _ in try await list(request) }
    }

    func list(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var limit = Self.defaultLimit
        if let text = query["limit"].map(String.init) {
            guard let value = Int(text), (1...Self.maximumLimit).contains(value) else {
                return AdminRoutes.problem(
                    .badRequest, "limit must be a whole number from 1 to \(Self.maximumLimit)", field: "limit")
            }
            limit = value
        }
        var cursor: LeaderResponseCursor?
        if let text = query["before"].map(String.init) {
            guard let decoded = Self.cursor(from: text) else {
                return AdminRoutes.problem(
                    .badRequest, "before must be the `next` value of an earlier page", field: "before")
            }
            cursor = decoded
        }
        // One more than asked tells whether there is a next page.
        let rows = try await store.leaderResponsePage(before: cursor, limit: limit + 1)
        let page = Array(rows.prefix(limit))
        let names = await directory?.recent(waitingAtMost: .milliseconds(1_500))
        let formatter = ISO8601DateFormatter()
        var body: [String: JSONValue] = [
            "responses": .array(
                page.map { stored in
                    let response = stored.response
                    var object: [String: JSONValue] = [
                        "id": .string(response.id), "week": .string(response.week), "text": .string(response.text),
                        "created_at": .string(formatter.string(from: response.createdAt)),
                        "themes": .array(
                            response.themes.map { ["key": .string($0.key), "label": .string($0.label)] }),
                        "audience": Self.audience(response.audience),
                    ]
                    if let name = stored.authorUserID.flatMap({ names?.displayNames[$0] }) {
                        object["author"] = .string(name)
                    } else {
                        object["author"] = .null
                        object["author_note"] =
                            names == nil
                            ? "the directory could not be read just now; try again"
                            : "the author is no longer in the directory"
                    }
                    return .object(object)
                })
        ]
        if rows.count > limit, let last = page.last {
            body["next"] = .string(Self.token(for: last.response))
        }
        return AdminRoutes.json(.object(body))
    }

    static func audience(_ audience: ResponseAudience) -> JSONValue {
        switch audience {
        case .allTeams: ["all_teams": true, "teams": []]
        case .teams(let teams): ["all_teams": false, "teams": .array(teams.map(JSONValue.string))]
        }
    }

    /// `<milliseconds>.<id>`, base64url: opaque to callers, stable across replicas.
    static func token(for response: LeaderResponse) -> String {
        let millis = Int64((response.createdAt.timeIntervalSince1970 * 1_000).rounded())
        return Data("\(millis).\(response.id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func cursor(from token: String) -> LeaderResponseCursor? {
        guard token.utf8.count <= 512 else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let dot = text.firstIndex(of: "."), let millis = Int64(text[..<dot]),
            millis >= 0, millis < 100_000_000_000_000
        else { return nil }
        let id = String(text[text.index(after: dot)...])
        guard !id.isEmpty else { return nil }
        return LeaderResponseCursor(createdAt: Date(timeIntervalSince1970: Double(millis) / 1_000), id: id)
    }
}
