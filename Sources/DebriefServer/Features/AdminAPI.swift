import DebriefCore
import DebriefPlatform
import Hummingbird

/// The admin HTTP API under `/api/v1/` (bearer tokens from `DEBRIEF_ADMIN_TOKENS`): trainings and roles.
struct AdminAPI: ServerFeature {
    let authenticator: AdminAuthenticator
    let trainings: AdminRoutes
    let roles: RoleRoutes

    init(runtime: DebriefRuntime, trainings: TrainingsFeature?) {
        let configuration = runtime.configuration
        authenticator = AdminAuthenticator(tokens: configuration.http.adminTokens)
        self.trainings = AdminRoutes(features: trainings?.features, platforms: runtime.platforms)
        roles = RoleRoutes(
            store: runtime.store, platforms: runtime.platforms,
            pseudonymizer: runtime.pseudonymizer, roleLevelsFromGroups: !configuration.digests.roleGroups.isEmpty,
            teamsFromGroups: !configuration.digests.teamGroups.isEmpty, now: runtime.now)
    }

    func register(on router: Router<BasicRequestContext>) {
        let group = router.group("/api/v1").add(middleware: AdminBearerMiddleware(authenticator: authenticator))
        trainings.register(on: group)
        roles.register(on: group)
    }
}
