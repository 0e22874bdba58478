import DebriefCore
import DebriefPlatform
import DebriefStore
import Foundation
import Logging
import Metrics

/// Runs `digest.post`: creates the week's digest for a target once, posts it once, records where.
///
/// Exactly once per target and week: the digest row is unique on (target, week) and is marked before
/// and after the platform's call. If a crash happened after posting but before recording, the retry finds
/// the message in the channel (it carries the digest id) instead of posting again.
///
/// The first job of a week computes and stores the documents of *every* configured target at once (one read
/// of the store, one batch build); the other targets' jobs then find their row and only post. Rows are
/// created with "insert unless present", so concurrent workers agree on one document per target.
struct DigestPostHandler: JobHandler {
    let service: DigestService
    let store: any DigestStore
    /// The connected platforms; a target's channel is on one of them.
    let platforms: ChatPlatforms
    let now: @Sendable () -> Date
    let makeID: @Sendable () -> String
    let logger: Logger
    let directory: DirectorySync
    /// The directory whose names are scrubbed from quotes (read afresh for every week).
    let names: DirectoryCache
    /// Every configured target, computed together with the job's own.
    let targets: [DigestTarget]
    let weekBatch = SingleFlight<Bool>()
    let posted = Counter(label: "debrief_digests_posted_total")

    func run(_ job: Job) async throws -> JobOutcome {
        let parameters = try job.decodeParameters(DigestScheduler.Parameters.self)
        guard let week = WeekKey(parameters.week) else { return .failedPermanently(error: "bad week") }
        let target = parameters.target
        guard let platform = platforms[target.platform] else {
            return .retry(error: "\(target.platform.displayName) is not configured on this server")
        }
        var digest: StoredDigest
        if let existing = try await store.digest(target: target.key, week: parameters.week) {
            digest = existing
        } else {
            // The week's other jobs wait for one computation of every target instead of repeating it.
            var computed = try await weekBatch.run(parameters.week) {
                try await computeAndStore(targets, week: week)
            }
            var stored = try await store.digest(target: target.key, week: parameters.week)
            if stored == nil, computed, !targets.contains(target) {
                // A target no longer configured (its job was queued before a restart): compute it alone.
                computed = try await computeAndStore([target], week: week)
                stored = try await store.digest(target: target.key, week: parameters.week)
            }
            guard computed else {
                return .retry(error: "could not read the directory (users.list) to scrub names from quotes")
            }
            guard let stored else { return .failedPermanently(error: "no digest was stored for \(target.key)") }
            digest = stored
        }
        if digest.postedAt != nil { return .done }
        if digest.postingStartedAt != nil {
            // An earlier attempt got as far as posting: record its message instead of posting again, and when
            // the channel cannot be checked, wait rather than risk a second post.
            switch await platform.findDigestPost(digestID: digest.id, in: target.channel) {
            case .found(let message):
                try await store.markDigestPosted(id: digest.id, channel: message.channel, ts: message.id, at: now())
                logger.notice("digest was already posted before a restart; recorded it without posting again")
                return .done
            case .unknown:
                return .retry(error: "could not read the channel's history to check for an earlier post")
            case .notFound:
                break
            }
        }
        let document = try DigestService.decode(digest.document)
        // Another worker is posting this digest right now: look again shortly instead of posting twice.
        guard
            try await store.markDigestPosting(
                id: digest.id, startedAt: now(), staleBefore: now().addingTimeInterval(-120))
        else { return .rescheduled(at: now().addingTimeInterval(60)) }
        let delivery = DigestDelivery(
            digestID: digest.id, document: document, link: service.link(digestID: digest.id, now: now()))
        // One attempt: a failed post is retried by the job, which first looks for it in the channel.
        let message: PostedMessage
        do {
            message = try await platform.postDigest(delivery, to: target.channel)
        } catch {
            return .retry(error: "\(platform.platform.displayName): \(error.code)")
        }
        try await store.markDigestPosted(id: digest.id, channel: message.channel, ts: message.id, at: now())
        posted.increment()
        do {
            try await platform.postDigestDetails(delivery, under: message)
        } catch {
            logger.warning("posting the digest details under it failed", metadata: ["error": "\(error)"])
        }
        return .done
    }

    /// Computes and stores the digests of `targets` for `week` (existing rows are kept). Returns false,
    /// storing nothing, when the directory could not be read: quotes are never shown unscrubbed.
    func computeAndStore(_ targets: [DigestTarget], week: WeekKey) async throws -> Bool {
        _ = await directory.sync()
        guard let names = await names.fresh() else { return false }
        let documents = try await service.documents(for: targets.map(\.scope), week: week, names: names, now: now())
        for (target, document) in zip(targets, documents) {
            _ = try await store.createDigest(
                StoredDigest(
                    id: makeID(), target: target.key, week: week.description, document: DigestService.encode(document),
                    createdAt: now()))
        }
        return true
    }
}
