import DebriefServer

extension FuzzTarget {
    /// `PUT /api/v1/roles` bodies, from an HR system holding an admin token.
    static let rolesBody = FuzzTarget(
        name: "roles-body",
        summary: "the admin API's roles body: JSON decoding and the per-entry checks"
    ) { input in
        switch ServerDecoders.roleAssignments(body: input.data) {
        case .success(let count):
            FuzzExpect.that(count >= 1 && count <= 10_000, "1…10,000 people per request, not \(count)")
        case .failure(let refusal):
            FuzzExpect.that([400, 422].contains(refusal.status), "a bad body is a 400 or a 422, not \(refusal.status)")
        }
    }
}
