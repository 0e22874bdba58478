import Foundation
import NIOCore

/// How many threads `debrief serve` gives NIO's event loops (Hummingbird's default group).
///
/// Why not one per core, NIO's default: the request handlers run on Swift's cooperative pool, which already
/// has one thread per core, and the database has its own writer and reader threads. With as many event-loop
/// threads again, twice as many busy threads compete for the cores, and each request hops between more of
/// them. On the 2-core benchmark machine, one event loop instead of two lowered the server CPU of
/// `debrief bench ingest` from 151 to 140 µs per request (means of three interleaved runs each; throughput
/// moved within the runs' noise, 7,400–8,400 requests a second either way) (#14). An event loop only parses
/// and writes HTTP, so half the cores is plenty for a chat-bot backend's traffic on larger machines too.
public enum EventLoopThreads {
    /// Half the cores, at least one.
    public static func count(cores: Int) -> Int { max(1, cores / 2) }

    /// NIO's own override, which operators may set; when it is set, it wins.
    public static let environmentVariable = "NIO_SINGLETON_GROUP_LOOP_COUNT"

    /// Sizes NIO's singleton event-loop group, unless ``environmentVariable`` is set. Call once per process,
    /// before anything uses the group (before the application is built): NIO ignores a later size and traps
    /// on a second call.
    public static func configure(
        cores: Int = System.coreCount, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        guard let threads = suggestion(cores: cores, environment: environment) else { return }
        NIOSingletons.groupLoopCountSuggestion = threads
    }

    /// The size ``configure(cores:environment:)`` sets, or nil when the operator's ``environmentVariable``
    /// decides (NIO reads it itself).
    static func suggestion(cores: Int, environment: [String: String]) -> Int? {
        environment[environmentVariable] == nil ? count(cores: cores) : nil
    }
}
