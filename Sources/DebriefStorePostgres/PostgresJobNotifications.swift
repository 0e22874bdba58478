import DebriefStore
import Foundation
import Logging
import PostgresNIO

/// Tells a replica's job worker that work arrived, as soon as any replica enqueues a job or puts one back to pending.
///
/// Why: a worker sleeps until the earliest due time it knows of. A job another replica enqueued for "now" would wait
/// until that time (or the next wake-up) without this. The schema's triggers `pg_notify('debrief_jobs', '')` when a
/// job is inserted or goes back to pending; this type keeps one connection of its own (not one of the pool's: a
/// listening connection is never free for queries) doing `LISTEN debrief_jobs`, and calls back on every
/// notification.
///
/// The callback also runs after every (re)connect, because jobs may have arrived while nobody listened. A lost
/// connection is reopened after a growing pause (``Backoff``); a connection that silently stopped answering (a
/// network path that drops packets without resetting) is noticed by a `SELECT 1` every ``keepAliveInterval``.
/// Notifications carry no data (the payload is empty), so nothing personal travels this way.
public struct PostgresJobNotifications: Sendable {
    /// The channel the schema's triggers notify.
    static let channel = "debrief_jobs"
    /// How often an idle listening connection is asked whether it is still there.
    public static let keepAliveInterval: Duration = .seconds(60)
    /// How long that question may take before the connection is taken for lost.
    static let keepAliveTimeout: Duration = .seconds(15)

    /// The pause before each reconnect: doubling from `first` to at most `maximum`, back to `first` once a
    /// connection listens again.
    public struct Backoff: Sendable, Equatable {
        public let first: Duration
        public let maximum: Duration
        private var current: Duration

        public init(first: Duration = .seconds(1), maximum: Duration = .seconds(30)) {
            self.first = first
            self.maximum = max(first, maximum)
            current = first
        }

        /// The pause before the next attempt; the one after it is twice as long, up to `maximum`.
        public mutating func next() -> Duration {
            let pause = current
            current = min(current * 2, maximum)
            return pause
        }

        /// A connection listens again: the next loss waits `first` again.
        public mutating func reset() {
            current = first
        }
    }

    let settings: PostgresConnectionSettings
    let backoff: Backoff
    let logger: Logger

    public init(
        settings: PostgresConnectionSettings, backoff: Backoff = Backoff(),
        logger: Logger = Logger(label: "debrief.store.postgres.notifications")
    ) {
        self.settings = settings
        self.backoff = backoff
        self.logger = logger
    }

    /// Listens until the task is cancelled, then returns. Calls `onNotification` once the listening connection is
    /// up (after every reconnect too) and for every notification; it should be cheap and must not block (the job
    /// worker's `wake()`).
    ///
    /// Connection failures are not thrown: they are logged and the connection is reopened after ``Backoff``.
    /// - Throws: ``StoreError/invalidConfiguration(_:)`` when the TLS settings cannot be used (nothing to retry).
    public func run(onNotification: @escaping @Sendable () -> Void) async throws {
        let configuration = try settings.connectionConfiguration()
        var backoff = self.backoff
        var connectionNumber = 0
        var lostSince: ContinuousClock.Instant?
        while !Task.isCancelled {
            connectionNumber += 1
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: connectionNumber, logger: PostgresStore.quiet)
                do {
                    try await connection.listen(on: Self.channel) { notifications in
                        backoff.reset()
                        if let since = lostSince {
                            logger.info(
                                "job notifications: listening again",
                                metadata: ["after_seconds": "\(Self.seconds(ContinuousClock.now - since))"])
                            lostSince = nil
                        }
                        onNotification()
                        try await Self.consume(notifications, on: connection, onNotification: onNotification)
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { break }
                let pause = backoff.next()
                let metadata: Logger.Metadata = [
                    "error": "\(Self.describe(error))", "retry_in_seconds": "\(Self.seconds(pause))",
                ]
                if lostSince == nil {
                    // Once per outage: the pool's queries report the same trouble on their own.
                    lostSince = .now
                    logger.warning(
                        "job notifications: no listening connection to PostgreSQL; reconnecting", metadata: metadata)
                } else {
                    logger.debug("job notifications: still no listening connection", metadata: metadata)
                }
                do { try await Task.sleep(for: pause) } catch { break }
            }
        }
    }

    /// An operator's reason for a lost listener, without credentials (``PostgresErrors``).
    private static func describe(_ error: any Error) -> String {
        if error is NotificationsLost { return "the listening connection ended or stopped answering" }
        return PostgresErrors.map(error).description
    }

    /// Seconds to the millisecond, for a log line ("0.05", "30.0").
    private static func seconds(_ duration: Duration) -> String {
        let components = duration.components
        return String(Double(components.seconds) + Double(components.attoseconds / 1_000_000_000_000_000) / 1_000)
    }

    /// Calls `onNotification` for each notification until the connection fails (or stops answering) or the task is
    /// cancelled. Throws when the connection is lost.
    private static func consume(
        _ notifications: PostgresNotificationSequence, on connection: PostgresConnection,
        onNotification: @escaping @Sendable () -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await _ in notifications { onNotification() }
                // The sequence ends without an error only when this task is cancelled.
                try Task.checkCancellation()
                throw NotificationsLost()
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: keepAliveInterval)
                    try await ping(connection)
                }
            }
            // Whichever ends first (an error, or cancellation) ends both.
            defer { group.cancelAll() }
            _ = try await group.next()
        }
    }

    /// `SELECT 1` on the listening connection; throws when it fails or takes longer than ``keepAliveTimeout``. A
    /// query on a connection whose peer vanished never returns, so on timeout the connection is closed, which fails
    /// the query.
    private static func ping(_ connection: PostgresConnection) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await connection.execute("SELECT 1")
                return true
            }
            group.addTask {
                try await Task.sleep(for: keepAliveTimeout)
                return false
            }
            let answered = try await group.next() ?? false
            group.cancelAll()
            if !answered {
                try? await connection.close()
                throw NotificationsLost()
            }
        }
    }

    /// The listening connection ended or stopped answering.
    private struct NotificationsLost: Error {}
}

extension PostgresStore {
    /// A listener for "work arrived" on this store's database, for the server to wake its job worker with. It opens
    /// a connection of its own when it runs (one per replica, besides the pool).
    public func jobNotifications() -> PostgresJobNotifications {
        PostgresJobNotifications(settings: settings, logger: logger)
    }
}

extension PostgresStore: JobArrivals {
    /// Wakes the worker whenever any replica queued work (see ``PostgresJobNotifications``). TLS settings that cannot
    /// be used end the watch (the pool fails the same way, loudly, on its first query).
    public func watchJobArrivals(_ arrived: @escaping @Sendable () -> Void) async {
        do {
            try await jobNotifications().run(onNotification: arrived)
        } catch {
            logger.error("job notifications are off: \(error)")
        }
    }
}
