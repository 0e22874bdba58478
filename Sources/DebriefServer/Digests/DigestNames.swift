import DebriefCore
import DebriefSlack
import Foundation
import Synchronization

/// Names a digest needs from the workspace directory: which leaders chose to be named, and every
/// colleague's name so quotes can be scrubbed of them.
///
/// Read from Slack when needed and kept only in memory — the directory is never stored. When it cannot be
/// read, digests leave free text out (`nil` names) rather than showing quotes that were not scrubbed of
/// colleagues' names.
public struct DigestNames: Sendable, Equatable {
    /// Display names by Slack user id (used for leaders who chose `attributed`).
    public var displayNames: [String: String]
    /// Every name in the directory (real names and display names), for scrubbing.
    public var directory: [String]

    public init(displayNames: [String: String], directory: [String]) {
        self.displayNames = displayNames
        self.directory = directory
    }

    /// Names from `users.list` members.
    public init(members: [JSONValue]) {
        self.init(displayNames: [:], directory: [])
        add(members: members)
    }

    /// Adds the names of more `users.list` members (one page at a time).
    public mutating func add(members: [JSONValue]) {
        var directory = Set(self.directory)
        for member in members {
            let candidates: [String?] = [
                member["real_name"]?.stringValue, member["profile"]?["real_name"]?.stringValue,
                member["profile"]?["display_name"]?.stringValue,
            ]
            var names: [String] = []
            for case let name? in candidates {
                let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { names.append(trimmed) }
            }
            directory.formUnion(names)
            if let id = member["id"]?.stringValue, let shown = names.first { displayNames[id] = shown }
        }
        self.directory = directory.sorted()
    }
}

/// Reads the workspace directory (`users.list`, every page) and keeps the last good copy for a while, so a
/// privacy receipt or preview answers within Slack's three seconds without paging through a large workspace.
final class DigestDirectory: Sendable {
    let api: SlackWebAPIClient
    /// How long a copy is good enough for receipts and previews (posting always reads afresh).
    let maximumAge: Duration
    private let cache = Mutex<(names: DigestNames, readAt: ContinuousClock.Instant)?>(nil)
    private let inFlight = Mutex<Task<DigestNames?, Never>?>(nil)

    init(api: SlackWebAPIClient, maximumAge: Duration = .seconds(3_600)) {
        self.api = api
        self.maximumAge = maximumAge
    }

    /// Reads the directory now; nil when Slack could not be read.
    func fresh() async -> DigestNames? {
        var names = DigestNames(displayNames: [:], directory: [])
        do {
            try await api.usersList(pageSize: 1_000) { names.add(members: $0) }
        } catch {
            return nil
        }
        cache.withLock { $0 = (names, ContinuousClock.now) }
        return names
    }

    /// A recent copy; when there is none, reads the directory but waits at most `limit` for it (the read goes
    /// on in the background, so the next request finds it). Nil when no copy is ready in time.
    func recent(waitingAtMost limit: Duration) async -> DigestNames? {
        let cached = cache.withLock { $0 }
        if let cached, ContinuousClock.now - cached.readAt < maximumAge { return cached.names }
        let refresh = inFlight.withLock { task -> Task<DigestNames?, Never> in
            if let task { return task }
            let started = Task { [self] in
                let names = await self.fresh()
                self.inFlight.withLock { $0 = nil }
                return names
            }
            task = started
            return started
        }
        return await withTaskGroup(of: DigestNames?.self) { group in
            group.addTask { await refresh.value }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
