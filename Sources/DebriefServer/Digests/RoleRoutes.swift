import DebriefCore
import DebriefPlatform
import DebriefStore
import Foundation
import Hummingbird

/// `PUT /api/v1/roles`: an HR system or an admin script sets people's role level and team — the source
/// besides Slack user groups (`DEBRIEF_ROLE_GROUPS`, `DEBRIEF_TEAM_GROUPS`) that digests group people by.
///
/// ```json
/// {"workspace": "T0001", "people": [{"user": "U123", "role_level": "leader", "team": "Sales"},
///                                   {"email": "ana@example.com", "team": "Support"}]}
/// ```
/// `"platform": "teams"` names Teams people (by Entra object id or e-mail, looked up in the rosters of the
/// teams Debrief is in); without it the people are on the only platform connected (Slack when both are).
/// Each entry names a person by user id or e-mail and sets a role level (`leader`, `manager`, `ic`), a
/// team, or both. Every entry is checked before anything is stored: one bad entry is a 422 that names it, and
/// nothing changes. A side that user groups are configured for is refused with 409, because the groups would
/// overwrite it before the next digest. The answer counts what was set and lists e-mails with no Slack
/// account; it never lists who has which role. People are stored under their pseudonym only.
struct RoleRoutes: Sendable {
    let store: any DigestStore
    /// The connected platforms; a request's people are on one of them.
    let platforms: ChatPlatforms
    let pseudonymizer: Pseudonymizer
    let roleLevelsFromGroups: Bool
    let teamsFromGroups: Bool
    let now: @Sendable () -> Date

    static let maximumPeople = 10_000
    static let maximumTeamNameLength = 80

    struct Payload: Decodable {
        var platform: String?
        var workspace: String?
        var people: [Entry]?

        struct Entry: Decodable {
            var user: String?
            var email: String?
            var roleLevel: String?
            var team: String?

            enum CodingKeys: String, CodingKey {
                case user, email, team
                case roleLevel = "role_level"
            }
        }
    }

    /// One checked entry.
    struct Assignment {
        var user: String?
        var email: String?
        var roleLevel: RoleLevel?
        var team: String?
    }

    /// Registers the route on the admin group (already behind ``AdminBearerMiddleware``).
    func register(on group: RouterGroup<BasicRequestContext>) {
        group.put("/roles") { request, _ in try await assign(request) }
    }

    func assign(_ request: Request) async throws -> Response {
        guard !platforms.isEmpty else {
            return AdminRoutes.problem(.serviceUnavailable, DebriefConfiguration.slackNotConfiguredSentence)
        }
        let payload: Payload
        switch try await AdminRoutes.decodeBody(
            request, as: Payload.self, limit: 4 << 20,
            expected: #"{"people": [{"user" or "email", "role_level", "team"}]}"#)
        {
        case .success(let decoded): payload = decoded
        case .failure(let problem): return problem.response
        }
        let platform: any ChatPlatform
        switch PlatformChoice.resolve(payload.platform, among: platforms) {
        case .success(let chosen): platform = chosen
        case .failure(let problem): return AdminRoutes.problem(.unprocessableContent, problem.message)
        }
        let assignments: [Assignment]
        switch Self.check(payload.people ?? [], on: platform.platform) {
        case .success(let checked): assignments = checked
        case .failure(let problem): return AdminRoutes.problem(.unprocessableContent, problem.message)
        }
        if roleLevelsFromGroups, assignments.contains(where: { $0.roleLevel != nil }) {
            return AdminRoutes.problem(
                .conflict,
                "role levels come from DEBRIEF_ROLE_GROUPS on this server; set them there, or remove it to use this API"
            )
        }
        if teamsFromGroups, assignments.contains(where: { $0.team != nil }) {
            return AdminRoutes.problem(
                .conflict,
                "teams come from DEBRIEF_TEAM_GROUPS on this server; set them there, or remove it to use this API")
        }
        let workspace: String
        if let given = payload.workspace?.trimmingCharacters(in: .whitespaces), !given.isEmpty {
            workspace = given
        } else {
            guard let team = try? await platform.workspaceID() else {
                return AdminRoutes.problem(
                    .badGateway,
                    "\(platform.platform.displayName) did not say which workspace this is (auth.test); try again")
            }
            workspace = team
        }
        let userIDs: [String: String]
        do {
            userIDs = try await platform.userIDs(forEmails: Set(assignments.compactMap(\.email)))
        } catch {
            return AdminRoutes.problem(
                .badGateway,
                "looking up e-mail addresses in \(platform.platform.displayName) failed; nothing was changed")
        }
        var roleAssignments: [RoleAssignment] = []
        var unknownEmails: [String] = []
        for assignment in assignments {
            guard let user = assignment.user ?? assignment.email.flatMap({ userIDs[$0] }) else {
                if let email = assignment.email { unknownEmails.append(email) }
                continue
            }
            let address = DeliveryAddress(platform: platform.platform, workspace: workspace, userID: user)
            roleAssignments.append(
                RoleAssignment(
                    address: address,
                    pseudonym: pseudonymizer.pseudonym(
                        for: PlatformUser(platform: platform.platform, workspace: workspace, userID: user)),
                    roleLevel: assignment.roleLevel?.rawValue, team: assignment.team))
        }
        let updated = try await store.assignRoles(roleAssignments, at: now())
        return AdminRoutes.json([
            "updated": .number(Double(updated)), "unknown_emails": .array(unknownEmails.map(JSONValue.string)),
        ])
    }

    struct Problem: Error {
        var message: String
    }

    /// Checks every entry; the first problem names the entry (counting from 0).
    static func check(_ entries: [Payload.Entry], on platform: Platform = .slack) -> Result<[Assignment], Problem> {
        guard !entries.isEmpty else { return .failure(Problem(message: "`people` must list at least one person")) }
        guard entries.count <= maximumPeople else {
            return .failure(Problem(message: "at most \(maximumPeople) people per request; send several requests"))
        }
        var checked: [Assignment] = []
        for (index, entry) in entries.enumerated() {
            var user = entry.user?.trimmingCharacters(in: .whitespaces)
            // Entra object ids are case-insensitive; people are keyed by the lower-case form.
            if platform == .teams { user = user?.lowercased() }
            let email = entry.email?.trimmingCharacters(in: .whitespaces).lowercased()
            guard (user?.isEmpty == false) != (email?.isEmpty == false) else {
                return .failure(
                    Problem(
                        message:
                            "people[\(index)]: give exactly one of `user` (\(PlatformChoice.userIDExample(platform))) "
                            + "or `email`"))
            }
            if let user, !user.isEmpty, !PlatformChoice.isUserID(user, on: platform) {
                return .failure(
                    Problem(message: "people[\(index)]: `user` must be \(PlatformChoice.userIDExample(platform))"))
            }
            if let email, !email.isEmpty, !AdminCommand.isEmail(email) {
                return .failure(Problem(message: "people[\(index)]: `email` is not an e-mail address"))
            }
            var role: RoleLevel?
            if let text = entry.roleLevel {
                guard let parsed = RoleLevel(rawValue: text.lowercased()) else {
                    return .failure(Problem(message: "people[\(index)]: `role_level` must be leader, manager or ic"))
                }
                role = parsed
            }
            var team: String?
            if let text = entry.team {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty, trimmed.count <= maximumTeamNameLength else {
                    return .failure(
                        Problem(
                            message: "people[\(index)]: `team` must be a name of 1–\(maximumTeamNameLength) characters")
                    )
                }
                team = trimmed
            }
            guard role != nil || team != nil else {
                return .failure(Problem(message: "people[\(index)]: set `role_level`, `team` or both"))
            }
            checked.append(
                Assignment(
                    user: user?.isEmpty == false ? user : nil, email: email?.isEmpty == false ? email : nil,
                    roleLevel: role, team: team))
        }
        return .success(checked)
    }
}
