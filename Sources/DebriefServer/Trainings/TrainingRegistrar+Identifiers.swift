import DebriefCore
import DebriefStore

extension TrainingRegistrar {
    /// The lists of a `training.resolve` job's identifiers (the v6 migration moved older jobs' ids into them).
    enum IdentifierList {
        static let users = "users"
        static let emails = "emails"
        /// The Slack admin to DM the result to, when the training came from `/debrief`.
        static let notify = "notify"

        static func identifiers(of participants: [ParticipantSource], notify: String?) -> JobIdentifiers {
            var users: [String] = []
            var emails: [String] = []
            for source in participants {
                switch source {
                case .user(let id): users.append(id)
                case .email(let email): emails.append(email)
                case .userGroup, .channel: break
                }
            }
            return JobIdentifiers([Self.users: users, Self.emails: emails, Self.notify: notify.map { [$0] } ?? []])
        }

        /// The sources that name no person: user groups and channels, which stay in the parameters.
        static func groupsAndChannels(_ participants: [ParticipantSource]) -> [ParticipantSource] {
            participants.filter {
                switch $0 {
                case .userGroup, .channel: true
                case .user, .email: false
                }
            }
        }

        /// The people to resolve: the groups and channels of the parameters, then the people named one by one.
        static func participants(_ parameters: ResolveParameters, _ identifiers: JobIdentifiers) -> [ParticipantSource]
        {
            groupsAndChannels(parameters.participants) + identifiers[users].map { ParticipantSource.user(id: $0) }
                + identifiers[emails].map(ParticipantSource.email)
        }
    }
}
