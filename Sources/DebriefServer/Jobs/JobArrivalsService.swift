import DebriefStore
import ServiceLifecycle

/// Wakes this process's job worker when another replica queued work (see `JobArrivals`), for as long as the server
/// runs.
struct JobArrivalsService: Service {
    let arrivals: any JobArrivals
    let wake: WakeBox

    func run() async throws {
        let wake = self.wake
        await cancelWhenGracefulShutdown {
            await arrivals.watchJobArrivals { wake.wake() }
        }
    }
}
