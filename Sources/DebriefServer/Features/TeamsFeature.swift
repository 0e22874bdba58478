import DebriefCore
import DebriefTeams
import Hummingbird

/// Teams' inbound side: every activity on `POST /api/messages` (the Azure Bot's messaging endpoint),
/// authenticated with the Bot Framework's signed tokens. Without Teams configured the route still exists and
/// answers 503 with the sentence saying what to set.
struct TeamsFeature: ServerFeature {
    let routes: TeamsRoutes

    init(
        runtime: DebriefRuntime, reflections: ReflectionService, background: BackgroundWork,
        trainings: TrainingsFeature?, digests: DigestsFeature
    ) {
        var endpoint: TeamsEndpoint?
        if let teams = runtime.teams, let credentials = runtime.configuration.teams.credentials {
            let settings = runtime.configuration.teams
            let zone = runtime.configuration.organisationTimeZone
            let trainingFeatures = trainings?.features
            let receipts = trainingFeatures.map {
                PrivacyReceipts(
                    digests: digests.service, roles: $0.store, reflections: reflections, directory: digests.directory,
                    platform: teams, organisationTimeZone: zone, now: runtime.now)
            }
            let commands = ReflectCommandRunner(
                reflections: reflections, trainings: trainingFeatures, receipts: receipts, organisationTimeZone: zone,
                now: runtime.now,
                ideas: IdeaLibraryService.make(runtime: runtime, reflections: reflections, digests: digests))
            let nudges = trainingFeatures.map {
                NudgeAnswers(
                    trainings: $0, reflections: reflections, platform: teams, background: background,
                    logger: runtime.logger, now: runtime.now)
            }
            var cardActions = TeamsCardActions(
                reflections: reflections, commands: commands, nudges: nudges, texts: teams.texts,
                logger: runtime.logger,
                habits: trainingFeatures?.habitAnswers(reflections: reflections, now: runtime.now),
                questions: QuestionService(
                    library: runtime.questions, store: runtime.store, pseudonymizer: runtime.pseudonymizer,
                    now: runtime.now))
            cardActions.responses = TeamsLeaderResponses(
                service: digests.leaderResponses(runtime: runtime, adminUserIDs: settings.adminUsers), platform: teams,
                background: background, logger: runtime.logger)
            let conversations = TeamsConversations(
                store: runtime.store, trainings: trainingFeatures, reflections: reflections, platform: teams,
                background: background,
                logger: runtime.logger, now: runtime.now)
            let authenticator = BotFrameworkAuthenticator(
                settings: BotFrameworkAuthSettings(
                    appID: credentials.appID, openIDMetadataURL: settings.openIDMetadataURL, issuer: settings.issuer),
                http: runtime.httpClient, now: runtime.now, logger: runtime.logger)
            endpoint = TeamsEndpoint(
                authenticator: authenticator, deliveries: runtime.store, conversations: conversations,
                messages: TeamsMessages(
                    commands: commands, cardActions: cardActions,
                    admin: TeamsAdminCommands(
                        trainings: trainingFeatures, adminUsers: settings.adminUsers, texts: teams.texts,
                        logger: runtime.logger),
                    conversations: conversations, platform: teams, background: background, logger: runtime.logger),
                cardActions: cardActions, metrics: TeamsEndpointMetrics(), logger: runtime.logger, now: runtime.now)
        }
        routes = TeamsRoutes(endpoint: endpoint)
    }

    func register(on router: Router<BasicRequestContext>) { routes.register(on: router) }
}
