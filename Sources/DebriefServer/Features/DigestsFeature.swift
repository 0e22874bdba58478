import DebriefCore
import DebriefPlatform
import DebriefStore
import Foundation
import Hummingbird
import ServiceLifecycle

/// Weekly digests: computing and posting them once per target and week (`digest.post`), the schedule that
/// queues them, and the signed digest pages (`GET /digests/:id`).
struct DigestsFeature: ServerFeature {
    let service: DigestService
    /// The directory names for scrubbing quotes; nil without a chat platform (free text is left out then).
    let directory: DirectoryCache?
    let jobHandlers: [JobKind: any JobHandler]
    let services: [any Service]
    /// Queues the weekly digests; nil without a chat platform.
    let scheduler: DigestScheduler?
    let now: @Sendable () -> Date
    /// `GET /api/v1/responses` and who may call it (issue #13).
    var responseRoutes: (routes: LeaderResponseRoutes, admins: AdminAuthenticator)?

    init(
        runtime: DebriefRuntime, background: BackgroundWork, publicURL: @escaping @Sendable () -> String, wake: WakeBox,
        clock: any ServerClock
    ) {
        let configuration = runtime.configuration
        var service = runtime.digestService(publicURL: publicURL)
        service.responses = LeaderResponseDigests(
            store: runtime.store, organisationTimeZone: configuration.organisationTimeZone)
        self.service = service
        now = runtime.now
        let platforms = runtime.platforms
        responseRoutes = (
            LeaderResponseRoutes(store: runtime.store, directory: nil),
            AdminAuthenticator(tokens: configuration.http.adminTokens)
        )
        // Role and team groups are user groups of the platform trainings are registered on (Slack's today).
        guard let home = platforms.all.first else {
            directory = nil
            jobHandlers = [:]
            services = []
            scheduler = nil
            return
        }
        let directory = DirectoryCache(platforms: platforms.all, background: background)
        self.directory = directory
        responseRoutes?.routes = LeaderResponseRoutes(store: runtime.store, directory: directory)
        let targets = DigestTarget.targets(from: configuration)
        jobHandlers = [
            .digestPost: DigestPostHandler(
                service: service, store: runtime.store, platforms: platforms, now: runtime.now, makeID: runtime.makeID,
                logger: runtime.logger,
                directory: DirectorySync(
                    store: runtime.store, platform: home, pseudonymizer: runtime.pseudonymizer,
                    roleGroups: configuration.digests.roleGroups, teamGroups: configuration.digests.teamGroups,
                    logger: runtime.logger),
                names: directory, targets: targets)
        ]
        let scheduler = DigestScheduler(
            store: runtime.store, targets: targets, configuration: configuration, clock: clock, logger: runtime.logger,
            wakeWorker: { wake.wake() })
        self.scheduler = scheduler
        services = [scheduler]
    }

    func register(on router: Router<BasicRequestContext>) {
        DigestPageRoutes(service: service, now: now).register(on: router)
        if let responseRoutes {
            responseRoutes.routes.register(
                on: router.group("/api/v1").add(middleware: AdminBearerMiddleware(authenticator: responseRoutes.admins))
            )
        }
    }

    /// The Respond action's service for one platform's admins (issue #13).
    func leaderResponses(runtime: DebriefRuntime, adminUserIDs: Set<String>) -> LeaderResponseService {
        LeaderResponseService(
            store: runtime.store, pseudonymizer: runtime.pseudonymizer,
            targets: DigestTarget.targets(from: runtime.configuration), adminUserIDs: adminUserIDs, now: runtime.now,
            makeID: runtime.makeID)
    }
}
