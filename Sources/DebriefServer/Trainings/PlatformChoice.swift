import DebriefCore
import DebriefPlatform
import Foundation

/// Which chat platform an admin API request is about: `"platform": "slack"` or `"teams"`, or, when the body
/// does not say, the only platform connected (Slack when both are).
enum PlatformChoice {
    static func resolve(_ given: String?, among platforms: ChatPlatforms) -> Result<any ChatPlatform, Problem> {
        if let given = given?.trimmingCharacters(in: .whitespaces).lowercased(), !given.isEmpty {
            guard let platform = Platform(rawValue: given) else {
                return .failure(Problem(message: "`platform` must be slack or teams, got '\(given.prefix(40))'"))
            }
            guard let connected = platforms[platform] else {
                return .failure(Problem(message: "\(platform.displayName) is not configured on this server"))
            }
            return .success(connected)
        }
        guard let first = platforms.all.first else {
            return .failure(Problem(message: "no chat platform is configured on this server"))
        }
        return .success(first)
    }

    struct Problem: Error {
        var message: String
    }

    /// How a person is named in the `user` field on a platform, for the error that says so.
    static func userIDExample(_ platform: Platform) -> String {
        switch platform {
        case .slack: "a Slack user id such as U0123ABCD"
        case .teams: "an Entra object id such as 7faf8ab2-3c1d-4e5f-8a9b-0c1d2e3f4a5b"
        }
    }

    /// Whether `user` is a user id on `platform` (Slack `U…`/`W…`; Teams: an Entra object id).
    static func isUserID(_ user: String, on platform: Platform) -> Bool {
        switch platform {
        case .slack: (user.hasPrefix("U") || user.hasPrefix("W")) && user.allSatisfy(\.isASCII)
        case .teams: AdminCommand.isObjectID(user)
        }
    }
}
