import DebriefCore
import DebriefPlatform
import DebriefStore
import Foundation
import Logging

/// Reads role levels and teams from the configured user groups (Slack user groups) before a digest is computed.
///
/// Membership is looked up fresh each time and replaces what was stored, so someone who left the
/// leadership group is counted as an IC from the next digest on. Only people Debrief already knows are
/// touched; the group lists themselves are never stored. When only role groups (or only team groups) are
/// configured, the other side is left to the admin API (`PUT /api/v1/roles`).
struct DirectorySync: Sendable {
    let store: any DigestStore
    let platform: any ChatPlatform
    let pseudonymizer: Pseudonymizer
    let roleGroups: [(role: String, group: String)]
    let teamGroups: [(team: String, group: String)]
    let logger: Logger

    /// Returns how many people were updated, or nil when nothing is configured or the platform failed (the
    /// stored roles then stay as they were rather than collapsing everyone to IC).
    func sync() async -> Int? {
        guard !roleGroups.isEmpty || !teamGroups.isEmpty else { return nil }
        guard let workspace = try? await platform.workspaceID() else { return nil }
        var roles: [String: String] = [:]
        var teams: [String: String] = [:]
        let rank = ["leader": 0, "manager": 1, "ic": 2]
        do {
            for (role, group) in roleGroups {
                for user in try await platform.groupMembers(group) {
                    if let current = roles[user], rank[current, default: 2] <= rank[role, default: 2] { continue }
                    roles[user] = role
                }
            }
            for (team, group) in teamGroups {
                for user in try await platform.groupMembers(group) where teams[user] == nil {
                    teams[user] = team
                }
            }
        } catch {
            logger.warning("reading role and team groups failed; keeping stored roles", metadata: ["error": "\(error)"])
            return nil
        }
        let users = Set(roles.keys).union(teams.keys)
        let assignments = users.map { user in
            let address = DeliveryAddress(platform: platform.platform, workspace: workspace, userID: user)
            return RoleAssignment(
                address: address,
                pseudonym: pseudonymizer.pseudonym(
                    for: PlatformUser(platform: platform.platform, workspace: workspace, userID: user)),
                roleLevel: roleGroups.isEmpty ? nil : roles[user] ?? "ic", team: teams[user])
        }
        // Only the configured side comes from the directory; the other stays as the admin API set it.
        return try? await store.replaceRoles(
            assignments, resettingRoleLevels: !roleGroups.isEmpty, resettingTeams: !teamGroups.isEmpty)
    }
}
