import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefStoreSQLite
import Foundation
import HTTPTypes
import Synchronization

/// What `debrief demo` prints at the end: a summary (per platform, what was sent and received), the last
/// week's digests as posted, the saved page, and the checks that no colleague's name and no Slack or Teams id
/// reached a digest.
struct DemoReport {
    let organisation: DemoOrganisation
    let simulation: DemoSimulation
    let requests: DemoRequests
    let directory: URL
    let weeks: [WeekKey]
    let started: ContinuousClock.Instant
    let platform: DemoPlatformChoice

    /// Prints everything; returns false when a check failed.
    func print() async throws -> Bool {
        let tally = simulation.tally.withLock { $0 }
        let total = tally.total
        let store = simulation.store
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
        if platform == .both {
            Swift.print(
                "  \(organisation.userIDs(on: .slack).count) of them work in Slack, "
                    + "\(organisation.userIDs(on: .teams).count) in Microsoft Teams: one organisation, one set of digests"
            )
        }
        let list = try await requests.get("/api/v1/trainings", admin: true)
        let trainings = ((try? JSONValue.decode(list.body))?["trainings"]?.arrayValue ?? []).sorted {
            ($0["ended_at"]?.stringValue ?? "", $0["title"]?.stringValue ?? "")
                < ($1["ended_at"]?.stringValue ?? "", $1["title"]?.stringValue ?? "")
        }
        Swift.print("Trainings (\(platform.registrationPhrase)): \(trainings.count)")
        for training in trainings {
            let ended = training["ended_at"]?.stringValue?.prefix(10) ?? "?"
            let unreachable = Int(training["unreachable"]?.numberValue ?? 0)
            Swift.print(
                "  • \(training["title"]?.stringValue ?? "?") — ended \(ended), "
                    + "\(Int(training["participants"]?.numberValue ?? 0)) participants, "
                    + "\(Int(training["nudges_sent"]?.numberValue ?? 0)) nudges sent"
                    + (unreachable > 0 ? ", \(unreachable) not reachable (unknown e-mail)" : ""))
        }
        let rate = total.nudgesSent > 0 ? Double(total.reflectedViaNudge) / Double(total.nudgesSent) * 100 : 0
        Swift.print(
            "Nudges sent: \(total.nudgesSent); answered with a reflection: \(total.reflectedViaNudge) "
                + "(response rate \(String(format: "%.0f", rate))%); snoozed: \(total.snoozed); \"not this one\": \(total.skipped)"
        )
        let stored = try await (store as? SQLiteStore)?.count(table: .reflections)
        let submitted = total.reflections
        if platform == .slack {
            Swift.print(
                "Reflections: \(submitted) sent (\(total.reflectedViaNudge) from nudges, \(total.formReflections) via /reflect "
                    + "and the form, \(total.quickReflections) quick /reflect <text>); \(stored.map(String.init) ?? "?") stored"
            )
        } else {
            Swift.print("Reflections: \(submitted) sent; \(stored.map(String.init) ?? "?") stored")
            printPerPlatform(tally)
        }
        if let stored, stored != submitted {
            Swift.print("  MISMATCH: the server stored \(stored) reflections, \(submitted) were acknowledged")
            passed = false
        }
        let slackPosts = simulation.slack?.channelPosts ?? []
        let teamsPosts = simulation.teams?.channelPosts ?? []
        let teamChannels = organisation.teams.count + 1
        if simulation.slack != nil {
            let mains = slackPosts.filter { $0.threadTS == nil }
            Swift.print(
                "Digests posted\(platform == .both ? " in Slack" : ""): \(mains.count) main messages and "
                    + "\(slackPosts.count - mains.count) thread replies "
                    + "(\(weeks.count) weeks × \(teamChannels) channels; the first week is before any training)")
        }
        if simulation.teams != nil {
            let mains = teamsPosts.filter { $0.threadRoot == nil }
            let channels = platform == .both ? 1 : teamChannels
            Swift.print(
                "Digests posted in Teams: \(mains.count) new channel threads and \(teamsPosts.count - mains.count) "
                    + "replies in them (\(weeks.count) weeks × \(channels) channel\(channels == 1 ? "" : "s"); "
                    + "the first week is before any training)")
        }
        for failure in tally.failures.prefix(5) { Swift.print("  FAILED: \(failure)") }

        guard let week = weeks.last else { return false }
        let link: String?
        if let slack = simulation.slack {
            guard let shown = try await printSlackDigests(slackPosts, week: week, slack: slack) else { return false }
            link = shown
            if platform == .both { _ = printTeamsLeadership(teamsPosts, week: week, withThread: false) }
        } else {
            guard let shown = printTeamsLeadership(teamsPosts, week: week, withThread: true) else { return false }
            link = shown
            printTeamsTeamDigest(teamsPosts, week: week)
        }

        // The digest page, fetched through the signed link in the posted message.
        Swift.print("")
        if let link {
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
            passed = checkPrivacy(slackPosts: slackPosts, teamsPosts: teamsPosts, page: html, tally: tally) && passed
        } else {
            Swift.print("The leadership digest has no page link.")
            passed = false
        }
        passed =
            try await DemoIdeas(organisation: organisation, simulation: simulation, requests: requests).print()
            && passed
        Swift.print("Database and page: \(directory.path)")
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        Swift.print("Done in \(String(format: "%.1f", seconds)) s (real time).")
        return passed
    }

    /// What went each way on each platform (Teams and both).
    func printPerPlatform(_ tally: DemoTally) {
        if simulation.slack != nil {
            let counts = tally.slack
            Swift.print(
                "  Slack: \(counts.nudgesSent) nudge DMs received; \(counts.reflections) reflections sent with signed "
                    + "requests (\(counts.reflectedViaNudge) Reflect → form, \(counts.formReflections) /reflect and the form, "
                    + "\(counts.quickReflections) quick /reflect <text>); snoozed: \(counts.snoozed); \"not this one\": \(counts.skipped)"
            )
        }
        guard let teams = simulation.teams, let requests = simulation.teamsRequests else { return }
        let counts = tally.teams
        let sent = requests.sent.withLock { $0 }
        let traffic = teams.sentCounts
        Swift.print(
            "  Teams: \(counts.nudgesSent) nudge cards received in 1:1 chats; \(counts.reflections) reflections sent "
                + "(\(counts.reflectedViaNudge) Reflect → form → Save, \(counts.formReflections) typed `reflect` and the form, "
                + "\(counts.quickReflections) typed `reflect <text>`); snoozed: \(counts.snoozed); \"not this one\": \(counts.skipped)"
        )
        Swift.print(
            "  Teams traffic: \(sent.activities) activities to /api/messages, each with an RS256 token from the fake "
                + "Bot Framework issuer (\(sent.refused) refused); the bot sent \(traffic.chats) cards to 1:1 chats, "
                + "started \(traffic.threads) channel threads, posted \(traffic.replies) replies and updated "
                + "\(traffic.updates) cards through the fake Bot Connector")
    }

    /// The Slack leadership digest and the longest team digest of `week`; returns the page link.
    func printSlackDigests(_ posts: [DemoSlack.ChannelPost], week: WeekKey, slack: DemoSlack) async throws -> String? {
        let store = simulation.store
        // The leadership digest and one team digest of the last week, as posted.
        guard let leadership = try await store.digest(target: "leadership", week: week.description),
            let leadershipMain = posts.first(where: { $0.ts == leadership.messageTS && $0.threadTS == nil })
        else {
            Swift.print("No leadership digest was posted for \(week).")
            return nil
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
        return Self.pageLink(in: leadershipMain.payload)
    }

    /// The last Teams thread started in `channel`, with its first reply.
    static func lastThread(in channel: String, _ posts: [DemoTeams.ChannelPost]) -> (
        main: DemoTeams.ChannelPost, reply: DemoTeams.ChannelPost?
    )? {
        guard let main = posts.last(where: { $0.channel == channel && $0.threadRoot == nil }) else { return nil }
        return (main, posts.first { $0.channel == channel && $0.threadRoot == main.activityID })
    }

    /// The org-wide digest of the last week as posted in Teams; returns its page link.
    func printTeamsLeadership(_ posts: [DemoTeams.ChannelPost], week: WeekKey, withThread: Bool) -> String? {
        let channel = DemoTeams.teamID(group: DemoOrganisation.leadershipChannel)
        guard let thread = Self.lastThread(in: channel, posts) else {
            Swift.print("No leadership digest was posted in Teams for \(week).")
            return nil
        }
        Swift.print("")
        Swift.print("== Leadership digest, \(week), as posted in Teams to the Leadership team (\(channel)) ==")
        Swift.print(DemoTeams.rendered(DemoTeams.card(thread.main.payload)))
        if withThread, let reply = thread.reply {
            Swift.print("--- reply in the thread ---")
            Swift.print(DemoTeams.rendered(DemoTeams.card(reply.payload)))
        } else if thread.reply != nil {
            Swift.print("--- (the details are in the thread, as in Slack) ---")
        }
        return DemoTeams.pageLink(in: DemoTeams.card(thread.main.payload))
    }

    /// The team digest with the most details, as posted in Teams.
    func printTeamsTeamDigest(_ posts: [DemoTeams.ChannelPost], week: WeekKey) {
        var best:
            (
                team: DemoTeam, channel: String, thread: (main: DemoTeams.ChannelPost, reply: DemoTeams.ChannelPost?),
                length: Int
            )?
        for team in organisation.teams {
            let channel = DemoTeams.teamID(group: team.channel)
            guard let thread = Self.lastThread(in: channel, posts) else { continue }
            let length = thread.reply.map { DemoTeams.rendered(DemoTeams.card($0.payload)).count } ?? 0
            if best == nil || length > (best?.length ?? 0) { best = (team, channel, thread, length) }
        }
        guard let best else { return }
        Swift.print("")
        Swift.print("== Team digest: \(best.team.name), \(week), as posted in Teams to its team (\(best.channel)) ==")
        Swift.print(DemoTeams.rendered(DemoTeams.card(best.thread.main.payload)))
        if let reply = best.thread.reply {
            Swift.print("--- reply in the thread ---")
            Swift.print(DemoTeams.rendered(DemoTeams.card(reply.payload)))
        }
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

    /// Names of colleagues written into quotable reflections, and people's platform ids (Slack user ids; Entra
    /// object ids and `29:` member ids in Teams), must appear nowhere.
    func checkPrivacy(
        slackPosts: [DemoSlack.ChannelPost], teamsPosts: [DemoTeams.ChannelPost], page: String, tally: DemoTally
    ) -> Bool {
        let posted =
            slackPosts.map { String(decoding: $0.payload.encoded(), as: UTF8.self) }
            + teamsPosts.map { String(decoding: $0.payload.encoded(), as: UTF8.self) }
        let everything = posted.joined(separator: "\n") + page
        let parts = Set(
            tally.mentionedNames.flatMap { $0.split(separator: " ").map(String.init) }.filter { $0.count >= 3 })
        let leaked = parts.filter {
            everything.range(of: "\\b\($0)\\b", options: [.regularExpression, .caseInsensitive]) != nil
        }.sorted()
        let ids = everything.range(of: #"\bU1\d{5}\b"#, options: .regularExpression) != nil
        let teamsIDs =
            everything.range(
                of: #"7faf8ab2-0000-4000-8000-\d{12}|29:u1\d{5}"#, options: [.regularExpression, .caseInsensitive])
            != nil
        let lines =
            slackPosts.flatMap { $0.text.split(separator: "\n").map(String.init) }
            + teamsPosts.flatMap {
                DemoTeams.rendered(DemoTeams.card($0.payload)).split(separator: "\n").map(String.init)
            }
        let example = lines.first { $0.contains("[name]") }
        Swift.print(
            "Scrub check: \(tally.mentions) quotable reflections named a colleague (\(tally.mentionedNames.count) distinct names); "
                + (leaked.isEmpty
                    ? "none of them appears in any digest or the page." : "LEAKED: \(leaked.joined(separator: ", "))"))
        if let example { Swift.print("  e.g. as posted: \(example)") }
        if simulation.slack != nil {
            Swift.print("Slack user ids in digests or the page: \(ids ? "FOUND" : "none")")
        }
        if simulation.teams != nil {
            Swift.print(
                "Teams ids (Entra object ids, 29: member ids) in digests or the page: \(teamsIDs ? "FOUND" : "none")")
        }
        return leaked.isEmpty && !ids && !teamsIDs
    }
}
