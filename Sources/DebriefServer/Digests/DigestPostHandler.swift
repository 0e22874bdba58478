import DebriefCore
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation
import Logging
import Metrics

/// Runs `digest.post`: creates the week's digest for a target once, posts it once, records where.
///
/// Exactly once per target and week: the digest row is unique on (target, week) and is marked before
/// and after the Slack call. If a crash happened after posting but before recording, the retry finds
/// the message in the channel (it carries the digest id in its metadata) instead of posting again.
struct DigestPostHandler: JobHandler {
    let service: DigestService
    let store: any DebriefDataStore
    let api: SlackWebAPIClient
    let now: @Sendable () -> Date
    let makeID: @Sendable () -> String
    let logger: Logger
    let directory: DirectorySync
    let posted = Counter(label: "debrief_digests_posted_total")

    func run(_ job: Job) async throws -> JobOutcome {
        let parameters = try job.decodeParameters(DigestScheduler.Parameters.self)
        guard let week = WeekKey(parameters.week) else { return .failedPermanently(error: "bad week") }
        let target = parameters.target
        var digest: StoredDigest
        if let existing = try await store.digest(target: target.key, week: parameters.week) {
            digest = existing
        } else {
            _ = await directory.sync()
            let names = await leaderNames(week: week)
            let document = try await service.document(
                for: target.scope, week: week, leaderNames: names, directoryNames: await directoryNames(), now: now())
            digest = try await store.createDigest(
                StoredDigest(
                    id: makeID(), target: target.key, week: parameters.week, document: DigestService.encode(document),
                    createdAt: now()))
        }
        if digest.postedAt != nil { return .done }
        if digest.postingStartedAt != nil, let found = await findPosted(digestID: digest.id, channel: target.channel) {
            try await store.markDigestPosted(id: digest.id, channel: target.channel, ts: found, at: now())
            logger.notice("digest was already posted before a restart; recorded it without posting again")
            return .done
        }
        let document = try DigestService.decode(digest.document)
        // Another worker is posting this digest right now: look again shortly instead of posting twice.
        guard try await store.markDigestPosting(id: digest.id, startedAt: now(), staleBefore: now().addingTimeInterval(-120))
        else { return .rescheduled(at: now().addingTimeInterval(60)) }
        let link = service.link(digestID: digest.id, now: now())
        let texts = service.templates.render(document, link: link)
        var main = DigestMessage.main(texts: texts, document: document, link: link)
        guard case .object(var body) = main else { return .failedPermanently(error: "digest message is not an object") }
        body["channel"] = .string(target.channel)
        body["unfurl_links"] = false
        body["metadata"] = ["event_type": "debrief_digest", "event_payload": ["digest_id": .string(digest.id)]]
        main = .object(body)
        let response: JSONValue
        do {
            response = try await api.call("chat.postMessage", json: main)
        } catch {
            return .retry(error: "Slack: \(error.code ?? "error")")
        }
        guard let ts = response["ts"]?.stringValue else { return .retry(error: "chat.postMessage without ts") }
        let channel = response["channel"]?.stringValue ?? target.channel
        try await store.markDigestPosted(id: digest.id, channel: channel, ts: ts, at: now())
        posted.increment()
        if DigestMessage.hasThreadReply(texts: texts, document: document),
            case .object(var reply) = DigestMessage.threadReply(texts: texts, document: document)
        {
            reply["channel"] = .string(channel)
            reply["thread_ts"] = .string(ts)
            do {
                _ = try await api.call("chat.postMessage", json: .object(reply))
            } catch {
                logger.warning("posting the digest details in the thread failed", metadata: ["error": "\(error)"])
            }
        }
        return .done
    }

    /// Display names of leaders who chose to be named this week (looked up, never stored).
    func leaderNames(week: WeekKey) async -> [String: String] {
        var names: [String: String] = [:]
        let assembler = DigestInputAssembler(store: store, settings: service.settings)
        for userID in (try? await assembler.attributedLeaderUserIDs(week: week)) ?? [] {
            if let user = try? await api.usersInfo(userID: userID) {
                names[userID] = user["profile"]?["real_name"]?.stringValue ?? user["real_name"]?.stringValue
            }
        }
        return names
    }

    /// Names in the workspace directory, so quotes can be scrubbed of colleagues' names.
    func directoryNames() async -> [String] {
        guard let response = try? await api.call("users.list", form: [("limit", "1000")]) else { return [] }
        return (response["members"]?.arrayValue ?? []).flatMap { member -> [String] in
            [member["real_name"]?.stringValue, member["profile"]?["real_name"]?.stringValue,
             member["profile"]?["display_name"]?.stringValue].compactMap { $0 }.filter { !$0.isEmpty }
        }
    }

    func findPosted(digestID: String, channel: String) async -> String? {
        guard let history = try? await api.call("conversations.history", form: [("channel", channel), ("limit", "100")])
        else { return nil }
        for message in history["messages"]?.arrayValue ?? []
        where message["metadata"]?["event_payload"]?["digest_id"]?.stringValue == digestID {
            return message["ts"]?.stringValue
        }
        return nil
    }
}
