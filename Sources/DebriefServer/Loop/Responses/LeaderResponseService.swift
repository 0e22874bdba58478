import DebriefCore
import DebriefStore
import Foundation

/// The Respond action on leadership digests, for every platform: who may respond, what the form offers (the
/// answered digest's published themes and the teams a response may name), and storing a checked response.
struct LeaderResponseService: Sendable {
    let store: any DebriefDataStore
    let pseudonymizer: Pseudonymizer
    /// Configured digest targets: the team digests whose publication decides which teams may be named.
    let targets: [DigestTarget]
    /// Platform user ids of the people who run Debrief (`DEBRIEF_ADMIN_USERS`); they may respond too.
    let adminUserIDs: Set<String>
    let now: @Sendable () -> Date
    let makeID: @Sendable () -> String

    /// What the form for one leadership digest offers.
    struct FormContext: Sendable, Equatable {
        var digestID: String
        var week: WeekKey
        /// The digest's published themes, in its order.
        var themes: [ResponseTheme]
        /// Teams whose digest of that week was published with numbers, by name.
        var eligibleTeams: [String]
    }

    enum Refusal: Error, Equatable {
        /// Neither an admin nor a leader.
        case notALeader
        /// The digest is unknown, not a leadership digest, or published no theme to answer.
        case nothingToAnswer
    }

    /// Admins (by platform id) and people whose role level is `leader` (the role store) may respond.
    func mayRespond(_ user: PlatformUser) async throws -> Bool {
        if adminUserIDs.contains(user.userID) { return true }
        let role = try await store.roleAndTeam(of: pseudonymizer.pseudonym(for: user))
        return role?.roleLevel == RoleLevel.leader.rawValue
    }

    /// The form for `digestID`, when `user` may respond to it.
    func form(digestID: String, for user: PlatformUser) async throws -> Result<FormContext, Refusal> {
        guard try await mayRespond(user) else { return .failure(.notALeader) }
        guard let context = try await context(digestID: digestID) else { return .failure(.nothingToAnswer) }
        return .success(context)
    }

    /// Checks and stores a submitted form. Authorisation is checked again: a form can outlive a role.
    func submit(_ form: LeaderResponseForm, digestID: String, by user: PlatformUser) async throws -> Result<
        LeaderResponse, SubmitProblem
    > {
        guard try await mayRespond(user) else { return .failure(.refused(.notALeader)) }
        guard let context = try await context(digestID: digestID) else {
            return .failure(.refused(.nothingToAnswer))
        }
        switch form.validate(offered: context.themes, eligibleTeams: Set(context.eligibleTeams)) {
        case .failure(let errors):
            return .failure(.invalid(errors))
        case .success(let valid):
            let author = pseudonymizer.pseudonym(for: user)
            let response = LeaderResponse(
                id: makeID(), author: author, week: context.week.description, text: valid.text, themes: valid.themes,
                audience: valid.audience, createdAt: now())
            // An admin who never reflected is not in the store yet: the response needs its author to exist (and
            // be erasable with them).
            try await store.upsertPerson(DeliveryAddress(user), pseudonym: author, at: now())
            try await store.recordLeaderResponse(response)
            return .success(response)
        }
    }

    enum SubmitProblem: Error, Equatable {
        case refused(Refusal)
        case invalid(LeaderResponseFormErrors)
    }

    /// The answered digest's themes and eligible teams; nil when `digestID` is not a leadership digest with
    /// themes.
    func context(digestID: String) async throws -> FormContext? {
        guard let stored = try await store.digest(id: digestID),
            DigestTarget.Scope(key: stored.target) == .leadership,
            let week = WeekKey(stored.week),
            let document = try? DigestService.decode(stored.document)
        else { return nil }
        let themes = ResponseTheme.published(in: document)
        guard !themes.isEmpty else { return nil }
        var teamDigests: [DigestDocument] = []
        for target in targets {
            guard case .team = target.scope,
                let digest = try await store.digest(target: target.key, week: stored.week),
                let decoded = try? DigestService.decode(digest.document)
            else { continue }
            teamDigests.append(decoded)
        }
        let eligible = ResponseEligibility.teams(week: week, teamDigests: teamDigests).sorted()
        return FormContext(digestID: digestID, week: week, themes: themes, eligibleTeams: eligible)
    }

    /// The sentence for someone who may not respond.
    static let notALeaderMessage =
        "Only leaders and the people who run Debrief can respond to the leadership digest. If you lead a team and "
        + "should be able to, ask them to set your role to leader."
    static let nothingToAnswerMessage =
        "This digest published no blockers or use cases to respond to (or it is not a leadership digest)."

    /// Said on the form: responding is consent to being named.
    static let consentNote =
        "Your name as the directory shows it appears with this response in the team digests you choose: responding "
        + "is agreeing to that. You can see your responses with /reflect mine and erase them with /reflect forget."
}
