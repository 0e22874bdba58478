import DebriefPlatform
import Foundation
import Synchronization

/// Reads the workspace directory (every page, through the platform) and keeps the last good copy, so a privacy
/// receipt or preview answers within the platform's three seconds without paging through a large workspace.
///
/// Posting always reads afresh (`fresh()`). Receipts and previews take the kept copy and, once it is older
/// than `maximumAge`, have it re-read in the background (`BackgroundWork`, so the read is not tied to one
/// request and finishes even when that request stops waiting).
final class DirectoryCache: Sendable {
    /// Every connected platform's directory is read: a mixed organisation's quotes are scrubbed of the names
    /// of colleagues on either platform.
    let platforms: [any ChatPlatform]
    let background: BackgroundWork?
    let maximumAge: Duration

    private struct State {
        var names: DirectoryNames?
        var readAt: ContinuousClock.Instant?
        var reading = false
    }

    private let state = Mutex(State())

    init(platforms: [any ChatPlatform], background: BackgroundWork? = nil, maximumAge: Duration = .seconds(3_600)) {
        self.platforms = platforms
        self.background = background
        self.maximumAge = maximumAge
    }

    /// Reads the directory now, page by page; nil when a platform could not be read.
    func fresh() async -> DirectoryNames? {
        var names = DirectoryNames(displayNames: [:], directory: [])
        do {
            for platform in platforms {
                try await platform.readDirectory { names.add($0) }
            }
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
    func recent(waitingAtMost limit: Duration) async -> DirectoryNames? {
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
