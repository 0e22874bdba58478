import DebriefHTTP
import Foundation
import HTTPTypes
import Logging
import Synchronization

/// The Bot Framework's published signing keys, fetched over ``HTTPClient`` (OpenID metadata, then its `jwks_uri`)
/// and cached with their endorsements.
///
/// Why it is shaped like this:
/// - The hot path (a cached, fresh key) takes one short lock and no network.
/// - Keys older than ``BotFrameworkAuthSettings/maximumKeyAge`` are refetched by the next request that needs them;
///   while that fetch runs, other requests keep using the cached keys.
/// - An unknown `kid` (Microsoft rotated its keys) triggers a refetch, at most once per
///   ``BotFrameworkAuthSettings/unknownKeyRefreshInterval``: made-up key ids cannot make Debrief hammer Microsoft.
///   Callers that need a fetch while one is running wait for that one instead of starting their own.
/// - When a fetch fails, the cached keys stay in use (a failed fetch never empties the cache); the next attempt
///   waits for the same interval.
/// - The clock is injected, so tests move time instead of sleeping.
///
/// - Important: Logs name the outcome and key counts only, never key material or key ids.
final class BotFrameworkKeySource: Sendable {
    /// What a lookup found.
    enum Lookup: Sendable {
        case found(BotFrameworkSigningKey)
        /// Keys are known, but none with this `kid`.
        case unknown
        /// No fetch has succeeded yet.
        case unavailable
    }

    private struct State {
        var keys: [String: BotFrameworkSigningKey] = [:]
        /// When the cached keys were fetched; nil until a fetch succeeds.
        var fetchedAt: Date?
        /// When the last fetch started, successful or not.
        var attemptedAt: Date?
        var fetching = false
        /// Callers waiting for the running fetch.
        var waiters: [CheckedContinuation<Void, Never>] = []

        func answer(for keyID: String?) -> Lookup {
            if let keyID, let key = keys[keyID] { return .found(key) }
            return fetchedAt == nil ? .unavailable : .unknown
        }
    }

    private enum Plan {
        case answer(Lookup)
        case fetch
        case wait
    }

    private let settings: BotFrameworkAuthSettings
    private let http: any HTTPClient
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let state = Mutex(State())

    init(settings: BotFrameworkAuthSettings, http: any HTTPClient, now: @escaping @Sendable () -> Date, logger: Logger)
    {
        self.settings = settings
        self.http = http
        self.now = now
        self.logger = logger
    }

    /// The key with this `kid`, refetching the key set first when it is stale or does not have the `kid` (within the
    /// rate limit).
    func key(for keyID: String) async -> Lookup {
        await lookup(keyID)
    }

    /// Fetches the keys unless fresh ones are cached (or a fetch failed less than the refresh interval ago), so the
    /// first real request does not wait for Microsoft.
    func prefetch() async {
        _ = await lookup(nil)
    }

    private func lookup(_ keyID: String?) async -> Lookup {
        let now = self.now()
        let plan = state.withLock { state -> Plan in self.plan(for: keyID, in: &state, at: now) }
        switch plan {
        case .answer(let lookup):
            return lookup
        case .fetch:
            await refresh()
        case .wait:
            await waitForRunningFetch()
        }
        return state.withLock { $0.answer(for: keyID) }
    }

    private func plan(for keyID: String?, in state: inout State, at now: Date) -> Plan {
        let fresh = state.fetchedAt.map { age(since: $0, at: now) < settings.maximumKeyAge.timeInterval } ?? false
        let cached = keyID.flatMap { state.keys[$0] }
        if let cached, fresh { return .answer(.found(cached)) }
        if keyID == nil, fresh { return .answer(.unknown) }
        if state.fetching {
            return cached.map { .answer(.found($0)) } ?? .wait
        }
        let mayFetch = state.attemptedAt.map { attemptedAt in
            // A clock that went backwards must not block refreshes until it catches up.
            now < attemptedAt || age(since: attemptedAt, at: now) >= settings.unknownKeyRefreshInterval.timeInterval
        }
        guard mayFetch ?? true else {
            return .answer(cached.map { .found($0) } ?? state.answer(for: keyID))
        }
        state.fetching = true
        state.attemptedAt = now
        return .fetch
    }

    private func age(since date: Date, at now: Date) -> TimeInterval {
        now.timeIntervalSince(date)
    }

    private func waitForRunningFetch() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = state.withLock { state in
                guard state.fetching else { return true }
                state.waiters.append(continuation)
                return false
            }
            if finished { continuation.resume() }
        }
    }

    /// Runs one fetch and wakes everyone waiting for it, whatever the outcome.
    private func refresh() async {
        let fetched = await fetchKeys()
        let fetchedAt = now()
        let waiters = state.withLock { state in
            if let fetched {
                state.keys = fetched
                state.fetchedAt = fetchedAt
            }
            state.fetching = false
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The metadata, then the key set; nil (logged) when either fails or no usable key is published.
    private func fetchKeys() async -> [String: BotFrameworkSigningKey]? {
        do {
            let metadata = try await get(settings.openIDMetadataURL)
            guard (200..<300).contains(metadata.status.code) else {
                logger.warning(
                    "Bot Framework OpenID metadata fetch failed; keeping cached keys",
                    metadata: ["status": "\(metadata.status.code)"])
                return nil
            }
            guard
                let keySetURL = BotFrameworkKeyDocuments.keySetURL(
                    fromMetadata: metadata.body, metadataURL: settings.openIDMetadataURL)
            else {
                logger.warning(
                    "Bot Framework OpenID metadata has no usable jwks_uri (an https URL); keeping cached keys")
                return nil
            }
            let keySet = try await get(keySetURL)
            guard (200..<300).contains(keySet.status.code) else {
                logger.warning(
                    "Bot Framework key set fetch failed; keeping cached keys",
                    metadata: ["status": "\(keySet.status.code)"])
                return nil
            }
            guard let parsed = await BotFrameworkKeyDocuments.signingKeys(fromKeySet: keySet.body),
                !parsed.keys.isEmpty
            else {
                logger.warning("Bot Framework key set holds no usable RS256 key; keeping cached keys")
                return nil
            }
            logger.info(
                "Fetched the Bot Framework signing keys",
                metadata: ["keys": "\(parsed.keys.count)", "skipped": "\(parsed.skipped)"])
            return parsed.keys
        } catch {
            logger.warning(
                "Could not fetch the Bot Framework signing keys; keeping cached keys",
                metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func get(_ url: String) async throws -> HTTPResponseData {
        try await http.execute(
            HTTPRequestSpec(
                method: .get, url: url, headerFields: [.accept: "application/json"], timeout: settings.fetchTimeout))
    }
}
