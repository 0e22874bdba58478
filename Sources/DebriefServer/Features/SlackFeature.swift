import DebriefCore
import DebriefSlack
import Hummingbird

/// Slack's inbound side: slash commands, buttons, forms and events on `POST /slack/events`. Without Slack
/// configured the routes still exist and answer 503 with the sentence saying what to set.
struct SlackFeature: ServerFeature {
    let routes: SlackRoutes

    init(
        runtime: DebriefRuntime, reflections: ReflectionService, background: BackgroundWork,
        trainings: TrainingsFeature?, digests: DigestsFeature
    ) {
        var endpoint: SlackEndpoint?
        if let slack = runtime.slack, let settings = runtime.configuration.slack {
            endpoint = SlackEndpoint(
                signingSecret: settings.signingSecret, reflections: reflections, store: runtime.store, platform: slack,
                prompts: runtime.prompts, background: background, now: runtime.now, logger: runtime.logger,
                trainings: trainings?.features, digests: digests.service, digestNames: digests.directory,
                organisationTimeZone: runtime.configuration.organisationTimeZone)
        }
        routes = SlackRoutes(endpoint: endpoint, maximumBodyBytes: runtime.configuration.maximumBodyBytes)
    }

    func register(on router: Router<BasicRequestContext>) { routes.register(on: router) }
}
