import ArgumentParser

/// Which chat platform's inbound path `bench ingest` loads.
enum IngestPlatform: String, Sendable, CaseIterable {
    /// Signed `/reflect <text>` slash commands on `POST /slack/events`.
    case slack
    /// JWT-signed `message` activities `reflect <text>` on `POST /api/messages`.
    case teams

    var title: String {
        switch self {
        case .slack: "Slack"
        case .teams: "Teams"
        }
    }
}

/// `--platform slack|teams|both`.
enum IngestSelection: String, Sendable, CaseIterable, ExpressibleByArgument {
    case slack, teams, both

    /// The platforms to run, in order.
    var platforms: [IngestPlatform] {
        switch self {
        case .slack: [.slack]
        case .teams: [.teams]
        case .both: [.slack, .teams]
        }
    }
}
