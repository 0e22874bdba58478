import DebriefCore
import DebriefSlack
import Hummingbird

/// Slack's inbound side: slash commands, buttons, forms and events on `POST /slack/events`, one handler per
/// payload kind, each given only what it uses. Without Slack configured the routes still exist and answer 503
/// with the sentence saying what to set.
struct SlackFeature: ServerFeature {
    let routes: SlackRoutes

    init(
        runtime: DebriefRuntime, reflections: ReflectionService, background: BackgroundWork,
        trainings: TrainingsFeature?, digests: DigestsFeature
    ) {
        var endpoint: SlackEndpoint?
        if let slack = runtime.slack, let settings = runtime.configuration.slack.credentials {
            let zone = runtime.configuration.organisationTimeZone
            let questions = QuestionService(
                library: runtime.questions, store: runtime.store, pseudonymizer: runtime.pseudonymizer,
                now: runtime.now)
            let followUps = SlackFollowUps(
                api: slack.api, prompts: runtime.prompts, background: background, logger: runtime.logger,
                questions: questions)
            let trainingFeatures = trainings?.features
            let nudges = trainingFeatures.map {
                NudgeResponses(
                    answers: NudgeAnswers(
                        trainings: $0, reflections: reflections, platform: slack, background: background,
                        logger: runtime.logger, now: runtime.now),
                    followUps: followUps)
            }
            let receipts = trainingFeatures.map {
                PrivacyReceipts(
                    digests: digests.service, roles: $0.store, reflections: reflections,
                    directory: digests.directory, platform: slack, organisationTimeZone: zone, now: runtime.now)
            }
            let digestViews = receipts.map {
                SlackDigestViews(
                    digests: digests.service, receipts: $0, directory: digests.directory, platform: slack,
                    organisationTimeZone: zone, logger: runtime.logger, now: runtime.now)
            }
            let leaderResponses = SlackLeaderResponses(
                service: digests.leaderResponses(
                    runtime: runtime, adminUserIDs: runtime.configuration.slack.adminUserIDs),
                followUps: followUps, logger: runtime.logger)
            let metrics = SlackEndpointMetrics()
            let ideas = IdeaLibraryService.make(runtime: runtime, reflections: reflections, digests: digests)
            let commands = ReflectCommandRunner(
                reflections: reflections, trainings: trainingFeatures, receipts: receipts, organisationTimeZone: zone,
                now: runtime.now, ideas: ideas)
            endpoint = SlackEndpoint(
                verifier: SlackSignatureVerifier(signingSecret: settings.signingSecret),
                slashCommands: SlashCommandHandler(
                    commands: commands, prompts: runtime.prompts, followUps: followUps, logger: runtime.logger),
                adminCommands: AdminCommandHandler(
                    trainings: trainingFeatures, digestViews: digestViews, prompts: runtime.prompts,
                    logger: runtime.logger),
                blockActions: BlockActionHandler(
                    reflections: reflections, prompts: runtime.prompts, followUps: followUps, nudges: nudges,
                    logger: runtime.logger, responses: leaderResponses, ideas: ideas,
                    habits: trainingFeatures?.habitAnswers(reflections: reflections, now: runtime.now)),
                viewSubmissions: ViewSubmissionHandler(
                    reflections: reflections, prompts: runtime.prompts, nudges: nudges, logger: runtime.logger,
                    responses: leaderResponses, questions: questions,
                    habits: trainingFeatures?.habitAnswers(reflections: reflections, now: runtime.now)),
                events: EventHandler(
                    store: runtime.store, followUps: followUps, metrics: metrics, logger: runtime.logger,
                    now: runtime.now),
                metrics: metrics, logger: runtime.logger, now: runtime.now)
        }
        routes = SlackRoutes(endpoint: endpoint, maximumBodyBytes: runtime.configuration.http.maximumBodyBytes)
    }

    func register(on router: Router<BasicRequestContext>) { routes.register(on: router) }
}
