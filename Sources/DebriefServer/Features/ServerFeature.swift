import DebriefStore
import Hummingbird
import ServiceLifecycle

/// One capability of the server as `buildApplication` composes it: its HTTP routes, the job kinds it runs
/// and the background services it keeps alive. Each feature is built from the ``DebriefRuntime`` and the
/// features it depends on, and nothing else, so a newcomer finds a behaviour in the feature that owns it.
protocol ServerFeature: Sendable {
    func register(on router: Router<BasicRequestContext>)
    /// Job handlers by job kind.
    var jobHandlers: [JobKind: any JobHandler] { get }
    /// Long-running services (schedulers), started after the server and stopped before it.
    var services: [any Service] { get }
}

extension ServerFeature {
    func register(on router: Router<BasicRequestContext>) {}
    var jobHandlers: [JobKind: any JobHandler] { [:] }
    var services: [any Service] { [] }
}
