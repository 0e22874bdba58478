import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefStoreSQLite
import Foundation
import HTTPTypes
import Synchronization

/// What `debrief demo` prints at the end: a summary, the last week's digests as posted, the saved page,
/// and the checks that no colleague's name or Slack id reached a digest.
struct DemoReport {
    let organisation: DemoOrganisation
    let simulation: DemoSimulation
    let requests: DemoRequests
    let directory: URL
    let weeks: [WeekKey]
    let started: ContinuousClock.Instant

    /// Prints everything; returns false when a check failed.
    func print() async throws -> Bool {
        let tally = simulation.tally.withLock { $0 }
        let store = simulation.store
        let posts = simulation.slack.channelPosts
        var passed = tally.failures.isEmpty

        // Summary
        let roles = Dictionary(grouping: organisation.people, by: \.role).mapValues(\.count)
        let zones = Set(organisation.people.map(\.timeZone)).count
        Swift.print("")
        Swift.print("== Summary ==")
        Swift.print(
            "Organisation: \(organisation.people.count) synthetic people (\(roles[.leader] ?? 0) leaders, "
                + "\(roles[.manager] ?? 0) managers, \(roles[.ic] ?? 0) ICs) in \(organisation.teams.count) teams, "
                + "\(zones) time zones")
        let list = try await requests.get("/api/v1/trainings", admin: true)
        let trainings = ((try? JSONValue.decode(list.body))?["trainings"]?.arrayValue ?? []).sorted {
            ($0["ended_at"]?.stringValue ?? "") < ($1["ended_at"]?.stringValue ?? "")
        }
        Swift.print("Trainings (registered with POST /api/v1/trainings): \(trainings.count)")
        for training in trainings {
            let ended = training["ended_at"]?.stringValue?.prefix(10) ?? "?"
            let unreachable = Int(training["unreachable"]?.numberValue ?? 0)
            Swift.print(
                "  • \(training["title"]?.stringValue ?? "?") — ended \(ended), "
                    + "\(Int(training["participants"]?.numberValue ?? 0)) participants, "
                    + "\(Int(training["nudges_sent"]?.numberValue ?? 0)) nudges sent"
                    + (unreachable > 0 ? ", \(unreachable) not reachable (unknown e-mail)" : ""))
        }
        let rate = tally.nudgesSent > 0 ? Double(tally.reflectedViaNudge) / Double(tally.nudgesSent) * 100 : 0
        Swift.print(
            "Nudges sent: \(tally.nudgesSent); answered with a reflection: \(tally.reflectedViaNudge) "
                + "(response rate \(String(format: "%.0f", rate))%); snoozed: \(tally.snoozed); \"not this one\": \(tally.skipped)"
        )
        let stored = try await (store as? SQLiteStore)?.count(table: .reflections)
        let submitted = tally.reflectedViaNudge + tally.formReflections + tally.quickReflections
        Swift.print(
            "Reflections: \(submitted) sent (\(tally.reflectedViaNudge) from nudges, \(tally.formReflections) via /reflect "
                + "and the form, \(tally.quickReflections) quick /reflect <text>); \(stored.map(String.init) ?? "?") stored"
        )
        if let stored, stored != submitted {
            Swift.print("  MISMATCH: the server stored \(stored) reflections, \(submitted) were acknowledged")
            passed = false
        }
        let mains = posts.filter { $0.threadTS == nil }
        let replies = posts.count - mains.count
        Swift.print(
            "Digests posted: \(mains.count) main messages and \(replies) thread replies "
                + "(\(weeks.count) weeks × \(organisation.teams.count + 1) channels; the first week is before any training)"
        )
        for failure in tally.failures.prefix(5) { Swift.print("  FAILED: \(failure)") }

        guard let week = weeks.last else { return false }
        // The leadership digest and one team digest of the last week, as posted.
        guard let leadership = try await store.digest(target: "leadership", week: week.description),
            let leadershipMain = posts.first(where: { $0.ts == leadership.messageTS && $0.threadTS == nil })
        else {
            Swift.print("No leadership digest was posted for \(week).")
            return false
        }
        Swift.print("")
        Swift.print(
            "== Leadership digest, \(week), as posted to #leadership (\(DemoOrganisation.leadershipChannel)) ==")
        printPost(leadershipMain, replies: posts)

        var best: (team: DemoTeam, main: DemoSlack.ChannelPost, length: Int)?
        for team in organisation.teams {
            guard let digest = try await store.digest(target: "team:\(team.name)", week: week.description),
                let main = posts.first(where: { $0.ts == digest.messageTS && $0.threadTS == nil })
            else { continue }
            let length = posts.first(where: { $0.threadTS == main.ts })?.text.count ?? 0
            if best == nil || length > (best?.length ?? 0) { best = (team, main, length) }
        }
        if let best {
            Swift.print("")
            Swift.print(
                "== Team digest: \(best.team.name), \(week), as posted to its channel (\(best.team.channel)) ==")
            printPost(best.main, replies: posts)
        }

        // The digest page, fetched through the signed link in the posted message.
        Swift.print("")
        if let link = Self.pageLink(in: leadershipMain.payload) {
            let page = try await requests.get(link)
            let html = String(decoding: page.body, as: UTF8.self)
            let file = directory.appendingPathComponent("digest-leadership-\(week).html")
            try page.body.write(to: file)
            let charts = html.components(separatedBy: "<svg").count - 1
            let shown = link.replacingOccurrences(of: #"sig=[^&]+"#, with: "sig=…", options: .regularExpression)
            Swift.print("Digest page: \(file.path)")
            Swift.print(
                "  fetched from \(shown) → HTTP \(page.status.code), \(page.body.count / 1024) KiB, \(charts) SVG charts"
            )
            if page.status != .ok || charts == 0 { passed = false }
            passed = checkPrivacy(posts: posts, page: html, tally: tally) && passed
        } else {
            Swift.print("The leadership digest has no page link.")
            passed = false
        }
        Swift.print("Database and page: \(directory.path)")
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        Swift.print("Done in \(String(format: "%.1f", seconds)) s (real time).")
        return passed
    }

    func printPost(_ main: DemoSlack.ChannelPost, replies posts: [DemoSlack.ChannelPost]) {
        Swift.print(Self.rendered(main.payload))
        if let reply = posts.first(where: { $0.threadTS == main.ts && $0.channel == main.channel }) {
            Swift.print("--- thread reply ---")
            Swift.print(Self.rendered(reply.payload))
        }
    }

    /// A posted message as a reader sees it: its blocks' texts (the `text` fallback when it has none).
    static func rendered(_ payload: JSONValue) -> String {
        var parts: [String] = []
        for block in payload["blocks"]?.arrayValue ?? [] {
            switch block["type"]?.stringValue {
            case "header", "section":
                if let text = block["text"]?["text"]?.stringValue { parts.append(text) }
            case "context":
                parts += (block["elements"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
            case "actions":
                for element in block["elements"]?.arrayValue ?? [] {
                    let label = element["text"]?["text"]?.stringValue ?? "button"
                    let url = (element["url"]?.stringValue ?? "").replacingOccurrences(
                        of: #"sig=[^&]+"#, with: "sig=…", options: .regularExpression)
                    parts.append("[\(label)] \(url)")
                }
            default:
                continue
            }
        }
        return parts.isEmpty ? (payload["text"]?.stringValue ?? "") : parts.joined(separator: "\n\n")
    }

    /// The URL of the "Open the full digest" button.
    static func pageLink(in payload: JSONValue) -> String? {
        for block in payload["blocks"]?.arrayValue ?? [] {
            for element in block["elements"]?.arrayValue ?? [] {
                if let url = element["url"]?.stringValue, url.contains("/digests/") { return url }
            }
        }
        return nil
    }

    /// Names of colleagues written into quotable reflections, and Slack user ids, must appear nowhere.
    func checkPrivacy(posts: [DemoSlack.ChannelPost], page: String, tally: DemoTally) -> Bool {
        let everything =
            posts.map { String(decoding: $0.payload.encoded(), as: UTF8.self) }.joined(separator: "\n") + page
        let parts = Set(
            tally.mentionedNames.flatMap { $0.split(separator: " ").map(String.init) }.filter { $0.count >= 3 })
        let leaked = parts.filter {
            everything.range(of: "\\b\($0)\\b", options: [.regularExpression, .caseInsensitive]) != nil
        }.sorted()
        let ids = everything.range(of: #"\bU1\d{5}\b"#, options: .regularExpression) != nil
        let example = posts.flatMap { $0.text.split(separator: "\n").map(String.init) }
            .first { $0.contains("[name]") }
        Swift.print(
            "Scrub check: \(tally.mentions) quotable reflections named a colleague (\(tally.mentionedNames.count) distinct names); "
                + (leaked.isEmpty
                    ? "none of them appears in any digest or the page." : "LEAKED: \(leaked.joined(separator: ", "))"))
        if let example { Swift.print("  e.g. as posted: \(example)") }
        Swift.print("Slack user ids in digests or the page: \(ids ? "FOUND" : "none")")
        return leaked.isEmpty && !ids
    }
}
