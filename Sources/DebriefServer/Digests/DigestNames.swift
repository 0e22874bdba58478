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

/// Reads the workspace directory (`users.list`, every page) and keeps the last good copy, so a privacy
/// receipt or preview answers within Slack's three seconds without paging through a large workspace.
///
/// Posting always reads afresh (`fresh()`). Receipts and previews take the kept copy and, once it is older
/// than `maximumAge`, have it re-read in the background (`BackgroundWork`, so the read is not tied to one
/// request and finishes even when that request stops waiting).
final class DigestDirectory: Sendable {
    let api: SlackWebAPIClient
    let background: BackgroundWork?
    let maximumAge: Duration

    private struct State {
        var names: DigestNames?
        var readAt: ContinuousClock.Instant?
        var reading = false
    }

    private let state = Mutex(State())

    init(api: SlackWebAPIClient, background: BackgroundWork? = nil, maximumAge: Duration = .seconds(3_600)) {
        self.api = api
        self.background = background
        self.maximumAge = maximumAge
    }

    /// Reads the directory now, page by page; nil when Slack could not be read.
    func fresh() async -> DigestNames? {
        var names = DigestNames(displayNames: [:], directory: [])
        do {
            try await api.usersList(pageSize: 1_000) { names.add(members: $0) }
        } catch {
            return nil
        }
        let read = names
        state.withLock {
            $0.names = read
            $0.readAt = ContinuousClock.now
        }
        return read
    }

    /// The kept copy (re-read in the background when old). Without one yet, starts a read and waits up to
    /// `limit` for it; nil when none is ready by then.
    func recent(waitingAtMost limit: Duration) async -> DigestNames? {
        let (kept, readAt) = state.withLock { ($0.names, $0.readAt) }
        if kept == nil || readAt.map({ ContinuousClock.now - $0 >= maximumAge }) ?? true { startReading() }
        if let kept { return kept }
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
            let (names, reading) = state.withLock { ($0.names, $0.reading) }
            if let names { return names }
            if !reading { return nil }
        }
        return nil
    }

    private func startReading() {
        let start = state.withLock { state -> Bool in
            if state.reading { return false }
            state.reading = true
            return true
        }
        guard start else { return }
        let accepted =
            background?.submit("digest directory read") { [self] in
                _ = await self.fresh()
                self.state.withLock { $0.reading = false }
            } ?? false
        if !accepted { state.withLock { $0.reading = false } }
    }
}
