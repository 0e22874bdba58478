/// One member of a team or conversation, as `GET …/pagedmembers` returns it (TeamsChannelAccount).
///
/// - Important: these are people's identifiers and contact details: keep them out of logs and metrics.
public struct TeamsMember: Sendable, Equatable, Codable {
    /// The per-bot user id, `29:…`.
    public var id: String
    public var name: String?
    /// The person's stable Entra object id, the key Debrief stores people under.
    public var aadObjectId: String?
    public var email: String?
    public var userPrincipalName: String?
    public var tenantId: String?

    public init(
        id: String, name: String? = nil, aadObjectId: String? = nil, email: String? = nil,
        userPrincipalName: String? = nil, tenantId: String? = nil
    ) {
        self.id = id
        self.name = name
        self.aadObjectId = aadObjectId
        self.email = email
        self.userPrincipalName = userPrincipalName
        self.tenantId = tenantId
    }
}

/// A channel of a team, from `GET /v3/teams/{teamId}/conversations`. The General channel has no name (its id is
/// the team's id).
public struct TeamsChannel: Sendable, Equatable, Codable {
    /// `19:…@thread.tacv2`.
    public var id: String
    public var name: String?

    public init(id: String, name: String? = nil) {
        self.id = id
        self.name = name
    }
}

/// One page of members and the token for the next (nil on the last page).
public struct TeamsMembersPage: Sendable, Equatable {
    public var members: [TeamsMember]
    public var continuationToken: String?

    public init(members: [TeamsMember], continuationToken: String?) {
        self.members = members
        self.continuationToken = continuationToken
    }
}
