import DebriefStore

/// A training's progress as admins read it in Slack and Teams.
enum AdminProgress {
    /// A training's counts as one phrase; while participants are still being looked up it says so, and
    /// only the counts found so far (all from the same read as the status).
    static func phrase(_ summary: TrainingSummary) -> String {
        switch summary.status {
        case .resolvingParticipants:
            return
                "looking up participants (\(summary.participants) found so far, \(summary.nudgesPending) nudges planned)"
        case .scheduled:
            return
                "\(summary.participants) participants, \(summary.nudgesSent) nudges sent, \(summary.nudgesPending) planned"
                + (summary.training.unresolvedCount > 0 ? ", \(summary.training.unresolvedCount) not reachable" : "")
        case .tooManyParticipants:
            let limit = summary.resolution?.overLimit.map { " (\($0.limit))" } ?? ""
            return "not scheduled: more participants than a training can have\(limit); register it as smaller trainings"
        }
    }
}
