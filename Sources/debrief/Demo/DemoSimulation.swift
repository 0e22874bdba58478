import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefSlack
import DebriefStore
import Foundation
import HTTPTypes
import Synchronization

/// Something a simulated person (or the LMS) does at a simulated instant.
struct DemoEvent: Sendable {
    enum Kind: Sendable {
        /// A reaction to a nudge DM (in Teams: to the nudge card `activityID`).
        case nudge(
            nudgeID: String, reaction: DemoBehaviour.NudgeReaction, focus: [TaskCategory], label: String,
            activityID: String?)
        /// `/reflect` on one's own: a quick text or the full form.
        case spontaneous(quick: Bool, label: String)
        /// The LMS registers a training when it ends.
        case registerTraining(Int)
    }

    var at: Date
    var person: Int
    var kind: Kind
    /// Tie-breaker, so events at the same instant always run in the same order.
    var sequence: Int

    /// Whether the server may enqueue jobs because of it (a registration, a snooze).
    var mayEnqueueJobs: Bool {
        switch kind {
        case .registerTraining: true
        case .nudge(_, .snooze, _, _, _): true
        case .nudge, .spontaneous: false
        }
    }
}

/// What happened on one platform, for the summary.
struct DemoCounts: Sendable {
    var nudgesSent = 0
    var reflectedViaNudge = 0
    var snoozed = 0
    var skipped = 0
    var formReflections = 0
    var quickReflections = 0

    var reflections: Int { reflectedViaNudge + formReflections + quickReflections }

    static func + (left: DemoCounts, right: DemoCounts) -> DemoCounts {
        DemoCounts(
            nudgesSent: left.nudgesSent + right.nudgesSent,
            reflectedViaNudge: left.reflectedViaNudge + right.reflectedViaNudge, snoozed: left.snoozed + right.snoozed,
            skipped: left.skipped + right.skipped, formReflections: left.formReflections + right.formReflections,
            quickReflections: left.quickReflections + right.quickReflections)
    }
}

/// Counters of what happened, for the summary.
struct DemoTally: Sendable {
    var slack = DemoCounts()
    var teams = DemoCounts()
    var failures: [String] = []
    var mentionedNames: Set<String> = []
    var mentions = 0
    var trainingIDs: [String: String] = [:]

    subscript(platform: Platform) -> DemoCounts {
        get { platform == .teams ? teams : slack }
        set {
            if platform == .teams { teams = newValue } else { slack = newValue }
        }
    }

    /// Both platforms together.
    var total: DemoCounts { slack + teams }
}

/// Drives simulated weeks: moves the clock, lets the server's job worker and digest scheduler do their
/// work, and has synthetic people answer nudges and reflect on their own through signed Slack requests or
/// signed Teams activities, each on their own platform.
final class DemoSimulation: Sendable {
    let organisation: DemoOrganisation
    let requests: DemoRequests
    let teamsRequests: DemoTeamsRequests?
    let slack: DemoSlack?
    let teams: DemoTeams?
    let store: any DebriefDataStore
    let clock: ManualClock
    let seed: UInt64
    let step: TimeInterval
    let tally = Mutex(DemoTally())
    let teamsByName: [String: DemoTeam]
    /// People whose names may appear in reflections: ICs whose name parts no openly sharing leader has,
    /// so a leak check cannot mistake a leader's byline for a leaked colleague.
    let colleagues: [DemoPerson]

    init(
        organisation: DemoOrganisation, requests: DemoRequests, teamsRequests: DemoTeamsRequests?, slack: DemoSlack?,
        teams: DemoTeams?, store: any DebriefDataStore, clock: ManualClock, seed: UInt64, step: TimeInterval
    ) {
        self.organisation = organisation
        self.requests = requests
        self.teamsRequests = teamsRequests
        self.slack = slack
        self.teams = teams
        self.store = store
        self.clock = clock
        self.seed = seed
        self.step = step
        var byName: [String: DemoTeam] = [:]
        for team in organisation.teams { byName[team.name] = team }
        teamsByName = byName
        let leaderParts = Set(
            organisation.people.filter { $0.role == .leader }.flatMap {
                [$0.firstName.lowercased(), $0.lastName.lowercased()]
            })
        colleagues = organisation.people.filter {
            $0.role == .ic && !leaderParts.contains($0.firstName.lowercased())
                && !leaderParts.contains($0.lastName.lowercased())
        }
    }

    /// The digest rows every week must have: per platform, `leadership` and `team:<name>` (Teams' prefixed
    /// with `teams:`; with both platforms, Teams gets only the org-wide digest).
    var targets: [String] {
        var keys: [String] = []
        if slack != nil { keys += ["leadership"] + organisation.teams.map { "team:\($0.name)" } }
        if teams != nil {
            keys.append("teams:leadership")
            if slack == nil { keys += organisation.teams.map { "teams:team:\($0.name)" } }
        }
        return keys
    }

    /// Where each week's digests went, for the progress lines.
    var digestDestinations: String {
        let count = organisation.teams.count
        switch (slack != nil, teams != nil) {
        case (true, false): return "#leadership and \(count) team channels"
        case (false, _): return "the Leadership team and \(count) team channels in Teams"
        case (true, true): return "#leadership and \(count) team channels in Slack, and the Leadership team in Teams"
        }
    }

    // MARK: - Teams set-up

    /// With both platforms, an HR script sets everyone's role level and team through the admin API: Slack
    /// people by user id, Teams people (`"platform": "teams"`) by Entra object id.
    func assignRoles(progress: @Sendable (String) -> Void) async throws {
        guard slack != nil, let teams else { return }
        for platform in [Platform.slack, .teams] {
            let people: [JSONValue] = organisation.people.filter { $0.platform == platform }.map { person in
                let user = platform == .teams ? teams.members[person.userID]?.objectID ?? "" : person.userID
                return [
                    "user": .string(user), "role_level": .string(person.role.rawValue), "team": .string(person.team),
                ]
            }
            var body: [String: JSONValue] = ["people": .array(people)]
            if platform == .teams { body["platform"] = "teams" }
            let response = try await requests.put("/api/v1/roles", .object(body))
            guard response.status == .ok else {
                throw DemoError(
                    "PUT /api/v1/roles (\(platform.rawValue)): HTTP \(response.status.code) "
                        + String(decoding: response.body, as: UTF8.self))
            }
        }
        progress("  Role levels and teams of everyone in Slack and in Teams set with PUT /api/v1/roles")
    }

    /// In Teams, before the pilot: the admin adds Debrief to every team (so their rosters and channels are
    /// known), then everyone installs the app, which tells the server their chat and their zone.
    func installTeams(progress: @Sendable (String) -> Void) async throws {
        guard let teams, let teamsRequests else { return }
        let admin = DemoFakes.teamsAdmin
        guard try await teamsRequests.install(admin).status == .ok else {
            throw DemoError("the admin's install of the Teams app was refused")
        }
        let teamIDs = DemoFakes.teamsTeams(organisation).keys.sorted()
        for team in teamIDs {
            let response = try await teamsRequests.botAdded(toTeam: team, name: team, by: admin)
            guard response.status == .ok else {
                throw DemoError("adding Debrief to \(team) was refused: HTTP \(response.status.code)")
            }
        }
        let members = organisation.teamsMembers
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                guard next < members.count else { return }
                let member = members[next]
                next += 1
                group.addTask {
                    let response = try await teamsRequests.install(member)
                    guard response.status == .ok else {
                        throw DemoError("an install was refused: HTTP \(response.status.code)")
                    }
                }
            }
            for _ in 0..<8 { add() }
            while try await group.next() != nil { add() }
        }
        try await settle()
        progress(
            "  Teams: \(members.count) people installed the app (with their own time zones); "
                + "Debrief was added to \(teamIDs.count) teams")
        _ = teams.drainInbox()
    }

    // MARK: - Running

    /// Runs until `end`; digests posted at each `digestTimes` instant are waited for before moving on.
    ///
    /// Time moves on a grid of `step`s from the start, but stretches where nothing is due (no job, no one's
    /// action, no digest) are skipped in one jump, found by asking the job queue what would be due then.
    func run(until end: Date, digestTimes: [(at: Date, week: WeekKey)], progress: @Sendable (String) -> Void)
        async throws
    {
        let origin = clock.now()
        var pending = initialEvents(until: end)
        var sequence = pending.count
        var ordinals: [String: Int] = [:]
        var nextDigest = 0
        var quiet = QuietQueue()
        while clock.now() < end {
            let digestAt = nextDigest < digestTimes.count ? digestTimes[nextDigest].at : nil
            clock.advance(
                to: try await nextStop(
                    origin: origin, pending: pending.first?.at, digest: digestAt, end: end, quiet: &quiet))
            // People act while the job worker sends what is due at the same moment.
            let now = clock.now()
            let dueCount = pending.prefix { $0.at <= now }.count
            if dueCount > 0 {
                let due = Array(pending.prefix(dueCount))
                pending.removeFirst(dueCount)
                if due.contains(where: \.mayEnqueueJobs) { quiet.through = nil }
                try await process(due)
            }
            if try await settle() { quiet.through = nil }
            let inbox = (slack?.drainInbox() ?? []) + (teams?.drainInbox() ?? [])
            await DemoHabit.react(to: inbox, simulation: self)
            if !inbox.isEmpty {
                pending += reactions(to: inbox, ordinals: &ordinals, sequence: &sequence)
                pending.sort { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
            }
            while nextDigest < digestTimes.count, clock.now() >= digestTimes[nextDigest].at {
                let week = digestTimes[nextDigest].week
                try await waitForDigests(week: week)
                quiet.through = nil
                progress("  \(week): digests posted to \(digestDestinations)")
                if nextDigest == 1 { try await respondToLeadershipDigest(week: week, progress: progress) }
                nextDigest += 1
            }
        }
    }

    /// What the simulation knows about the job queue without asking again: no job is due at any instant up
    /// to `through`, as long as nothing was enqueued since (a job ran, a training was registered, a nudge
    /// was snoozed).
    struct QuietQueue {
        var through: Date?
    }

    /// The next grid point at which something happens: a job falls due, someone acts, a digest is due.
    func nextStop(origin: Date, pending: Date?, digest: Date?, end: Date, quiet: inout QuietQueue) async throws -> Date
    {
        func aligned(_ instant: Date) -> Date {
            let steps = (instant.timeIntervalSince(origin) / step).rounded(.up)
            return origin.addingTimeInterval(max(0, steps) * step)
        }
        func dueJobs(at instant: Date) async throws -> Bool {
            try await store.queueDepth(now: instant).values.contains { $0.pendingDue > 0 }
        }
        let now = clock.now()
        let fine = aligned(now.addingTimeInterval(step / 2))
        let limit = max(fine, aligned(min(pending ?? end, digest ?? end, end, now.addingTimeInterval(86_400))))
        // Settled at `now`, so nothing is due now.
        var known = max(now, quiet.through ?? now)
        if limit <= known { return limit }
        if fine > known {
            if try await dueJobs(at: fine) { return fine }
            known = fine
            if limit <= known {
                quiet.through = known
                return limit
            }
        }
        guard try await dueJobs(at: limit) else {
            quiet.through = limit
            return limit
        }
        // The first grid point at which a job is due, between `known` (none) and `limit` (some).
        var low = 0
        var high = Int((limit.timeIntervalSince(known) / step).rounded())
        while high - low > 1 {
            let middle = (low + high) / 2
            if try await dueJobs(at: known.addingTimeInterval(Double(middle) * step)) {
                high = middle
            } else {
                low = middle
            }
        }
        quiet.through = known.addingTimeInterval(Double(low) * step)
        return known.addingTimeInterval(Double(high) * step)
    }

    /// Waits until no job is due or running at the current simulated time; true when there was any.
    @discardableResult
    func settle(timeout: Duration = .seconds(60)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        var busy = false
        while ContinuousClock.now < deadline {
            let depth = try await store.queueDepth(now: clock.now())
            if depth.values.allSatisfy({ $0.pendingDue == 0 && $0.running == 0 }) { return busy }
            busy = true
            try await Task.sleep(for: .milliseconds(5))
        }
        throw DemoError("the job queue did not settle within \(timeout) at simulated \(clock.now())")
    }

    /// Waits until every target's digest of `week` is posted (main message and thread reply).
    func waitForDigests(week: WeekKey) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        var missing = targets[...]
        while let target = missing.first {
            if try await store.digest(target: target, week: week.description)?.postedAt != nil {
                missing = missing.dropFirst()
                continue
            }
            guard ContinuousClock.now < deadline else {
                throw DemoError("digests for \(week) were not posted in time: \(missing.joined(separator: ", "))")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        try await settle()
    }

    // MARK: - Planning what people do

    /// Training registrations and each person's own `/reflect` moments, decided up front from the seed.
    func initialEvents(until end: Date) -> [DemoEvent] {
        var events: [DemoEvent] = []
        for (index, training) in organisation.trainings.enumerated() {
            events.append(
                DemoEvent(
                    at: training.endedAt.addingTimeInterval(20 * 60), person: -1, kind: .registerTraining(index),
                    sequence: 0))
        }
        let berlin = TimeZone(identifier: DemoOrganisation.organisationZone) ?? .gmt
        var orgCalendar = Calendar(identifier: .iso8601)
        orgCalendar.timeZone = berlin
        let monday = orgCalendar.dateComponents([.year, .month, .day], from: clock.now())
        let weeks = Int((end.timeIntervalSince(clock.now()) / (7 * 86_400)).rounded(.up))
        for person in organisation.people {
            var calendar = Calendar(identifier: .iso8601)
            calendar.timeZone = TimeZone(identifier: person.timeZone) ?? berlin
            for week in 0..<weeks {
                var random = DemoRandom(seed: seed, label: "spontaneous|\(person.userID)|\(week)")
                guard random.chance(DemoBehaviour.spontaneousChance(person)) else { continue }
                var components = DateComponents()
                components.year = monday.year
                components.month = monday.month
                components.day = (monday.day ?? 1) + week * 7 + random.int(0...4)
                let minute = random.int((9 * 60)...(17 * 60))
                components.hour = minute / 60
                components.minute = minute % 60
                guard let at = calendar.date(from: components), at < end else { continue }
                let quick = random.chance(person.role == .leader ? 0.25 : 0.5)
                events.append(
                    DemoEvent(
                        at: at, person: person.index,
                        kind: .spontaneous(quick: quick, label: "\(person.userID)|\(week)"),
                        sequence: 0))
            }
        }
        events.sort { ($0.at, $0.person) < ($1.at, $1.person) }
        for index in events.indices { events[index].sequence = index }
        return events
    }

    /// Decides, per nudge received, whether and when its person reacts.
    func reactions(to inbox: [DemoSlack.DirectMessage], ordinals: inout [String: Int], sequence: inout Int)
        -> [DemoEvent]
    {
        let titles = organisation.trainings.enumerated().sorted { $0.element.title.count > $1.element.title.count }
        var nudges: [(message: DemoSlack.DirectMessage, training: Int)] = []
        for message in inbox where message.nudgeID != nil {
            let training = titles.first { message.body.contains($0.element.title) }?.offset ?? -1
            nudges.append((message, training))
        }
        nudges.sort {
            ($0.message.userID, $0.training, $0.message.body) < ($1.message.userID, $1.training, $1.message.body)
        }
        var events: [DemoEvent] = []
        let now = clock.now()
        for (message, training) in nudges {
            guard let nudgeID = message.nudgeID, let number = Int(message.userID.dropFirst()),
                organisation.people.indices.contains(number - 100_001)
            else { continue }
            let person = organisation.people[number - 100_001]
            tally.withLock { $0[person.platform].nudgesSent += 1 }
            let key = "\(person.userID)|\(training)"
            let ordinal = ordinals[key, default: 0]
            ordinals[key] = ordinal + 1
            let label = "nudge|\(key)|\(ordinal)"
            var random = DemoRandom(seed: seed, label: label)
            guard let (reaction, delay) = DemoBehaviour.reaction(to: ordinal, person: person, random: &random) else {
                continue
            }
            let focus = organisation.trainings.indices.contains(training) ? organisation.trainings[training].focus : []
            sequence += 1
            events.append(
                DemoEvent(
                    at: now.addingTimeInterval(delay), person: person.index,
                    kind: .nudge(
                        nudgeID: nudgeID, reaction: reaction, focus: focus, label: label, activityID: message.activityID
                    ),
                    sequence: sequence))
        }
        return events
    }

    // MARK: - Doing it

    /// Registrations first, then people, concurrently across people and in order for each person.
    func process(_ events: [DemoEvent]) async throws {
        for event in events {
            if case .registerTraining(let index) = event.kind { try await register(index) }
        }
        var byPerson: [Int: [DemoEvent]] = [:]
        for event in events where event.person >= 0 { byPerson[event.person, default: []].append(event) }
        let groups = byPerson.keys.sorted().compactMap { byPerson[$0] }
        let maximumInFlight = 8
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                guard next < groups.count else { return }
                let personEvents = groups[next]
                next += 1
                group.addTask {
                    for event in personEvents { await self.perform(event) }
                }
            }
            for _ in 0..<maximumInFlight { add() }
            for await _ in group { add() }
        }
    }

    /// Trigger ids travel in URLs (response URLs are made from them): letters, digits, dots and dashes only.
    static func safe(_ trigger: String) -> String {
        String(trigger.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "." })
    }

    /// Registers a training on each platform the organisation uses: through the admin API (as an LMS would)
    /// for Slack, and by the L&D admin typing `debrief training add …` to the bot in Teams.
    func register(_ index: Int) async throws {
        if slack != nil { try await registerInSlack(index) }
        if let teams, let teamsRequests { try await registerInTeams(index, teams: teams, requests: teamsRequests) }
    }

    func registerInSlack(_ index: Int) async throws {
        let training = organisation.trainings[index]
        let formatter = ISO8601DateFormatter()
        var participants: [String: JSONValue] = ["usergroups": .array(training.usergroups.map(JSONValue.string))]
        let emails = organisation.emails(of: training, on: .slack)
        if !emails.isEmpty { participants["emails"] = .array(emails.map(JSONValue.string)) }
        let response = try await requests.postJSON(
            "/api/v1/trainings",
            [
                "title": .string(registeredTitle(training, on: .slack)), "topic": .string(training.topic),
                "ended_at": .string(formatter.string(from: training.endedAt)), "participants": .object(participants),
            ])
        guard response.status == .accepted, let id = (try? JSONValue.decode(response.body))?["id"]?.stringValue else {
            throw DemoError(
                "registering \(training.title) failed: HTTP \(response.status.code) \(String(decoding: response.body, as: UTF8.self))"
            )
        }
        tally.withLock { $0.trainingIDs[training.title] = id }
    }

    /// A training's title as registered: with both platforms it is registered once on each (a training's
    /// participants are resolved on one platform), and the platform in the title tells the two apart in the
    /// digest's funnel.
    func registeredTitle(_ training: DemoTraining, on platform: Platform) -> String {
        guard slack != nil, teams != nil else { return training.title }
        return "\(training.title) (\(platform == .teams ? "Teams" : "Slack"))"
    }

    /// The command as an admin types it: the training's cohorts as the teams they are in Teams, plus e-mails.
    func registerInTeams(_ index: Int, teams: DemoTeams, requests: DemoTeamsRequests) async throws {
        let training = organisation.trainings[index]
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: DemoOrganisation.organisationZone) ?? .gmt
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        let participants =
            training.usergroups.map { DemoTeams.teamID(group: $0) } + organisation.emails(of: training, on: .teams)
        let command =
            "debrief training add \"\(registeredTitle(training, on: .teams))\" topic:\(training.topic) "
            + "ended:\(formatter.string(from: training.endedAt)) participants:\(participants.joined(separator: ","))"
        let admin = DemoFakes.teamsAdmin
        let cursor = teams.postedCount
        let response = try await requests.message(command, from: admin, id: "m-training-\(index)")
        guard response.status == .ok else {
            throw DemoError("typing `debrief training add` for \(training.title) failed: HTTP \(response.status.code)")
        }
        // The confirmation goes out in the background; the resolution report may come first.
        let confirmed = await teams.card(in: admin.chat, after: cursor) { card in
            let text = DemoTeams.rendered(card)
            return text.contains("Registered") && text.contains(training.title)
        }
        guard confirmed != nil else {
            let said = teams.cards(in: admin.chat, after: cursor).map(DemoTeams.rendered)
            throw DemoError(
                "`debrief training add` for \(training.title) was not confirmed; the bot said: \(said.joined(separator: " / "))"
            )
        }
    }

    func perform(_ event: DemoEvent) async {
        let person = organisation.people[event.person]
        guard person.platform == .teams else { return await performInSlack(event, person: person) }
        guard let teams, let teamsRequests, let member = teams.members[person.userID] else {
            tally.withLock { $0.failures.append("\(person.userID) is not in the fake Teams") }
            return
        }
        await performInTeams(
            event, person: person, actor: DemoTeamsActor(member: member, teams: teams, requests: teamsRequests))
    }

    func performInSlack(_ event: DemoEvent, person: DemoPerson) async {
        let team = team(of: person)
        do {
            switch event.kind {
            case .registerTraining:
                return
            case .nudge(let nudgeID, let reaction, let focus, let label, _):
                switch reaction {
                case .snooze:
                    try await click(NudgeActionID.snooze, nudgeID: nudgeID, person: person, trigger: "snooze-\(label)")
                    tally.withLock { $0.slack.snoozed += 1 }
                case .skip:
                    try await click(NudgeActionID.skip, nudgeID: nudgeID, person: person, trigger: "skip-\(label)")
                    tally.withLock { $0.slack.skipped += 1 }
                case .reflect:
                    let trigger = "reflect-\(label)"
                    try await click(NudgeActionID.reflect, nudgeID: nudgeID, person: person, trigger: trigger)
                    var random = DemoRandom(seed: seed, label: "content|\(label)")
                    let reflection = DemoBehaviour.reflection(
                        person: person, team: team, focus: focus, colleagues: colleagues, random: &random)
                    if try await submitForm(reflection, trigger: trigger, person: person) {
                        tally.withLock { $0.slack.reflectedViaNudge += 1 }
                    }
                }
            case .spontaneous(let quick, let label):
                var random = DemoRandom(seed: seed, label: "content|spontaneous|\(label)")
                if quick {
                    let text = DemoBehaviour.quickText(person: person, team: team, random: &random)
                    let response = try await requests.slashCommand(
                        text, user: person, trigger: Self.safe("quick-\(label)"))
                    guard response.status == .ok else {
                        throw DemoError("/reflect <text>: HTTP \(response.status.code)")
                    }
                    tally.withLock { $0.slack.quickReflections += 1 }
                } else {
                    let trigger = "form-\(label)"
                    let response = try await requests.slashCommand("", user: person, trigger: Self.safe(trigger))
                    guard response.status == .ok else { throw DemoError("/reflect: HTTP \(response.status.code)") }
                    let reflection = DemoBehaviour.reflection(
                        person: person, team: team, focus: [], colleagues: colleagues, random: &random)
                    if try await submitForm(reflection, trigger: trigger, person: person) {
                        tally.withLock { $0.slack.formReflections += 1 }
                    }
                }
            }
        } catch {
            tally.withLock { $0.failures.append("\(error)") }
        }
    }

    /// The same decisions as in Slack (the same random streams), made with Teams' gestures: card buttons
    /// are `invoke` activities answered with the next card, and `/reflect` is typing `reflect …` to the bot.
    func performInTeams(_ event: DemoEvent, person: DemoPerson, actor: DemoTeamsActor) async {
        let team = team(of: person)
        do {
            switch event.kind {
            case .registerTraining:
                return
            case .nudge(let nudgeID, let reaction, let focus, let label, let activityID):
                let data: [String: JSONValue] = ["nudge_id": .string(nudgeID)]
                switch reaction {
                case .snooze:
                    _ = try await actor.press(
                        DemoTeamsRequests.Verb.snooze, data: data, replyTo: activityID, id: "snooze-\(label)")
                    tally.withLock { $0.teams.snoozed += 1 }
                case .skip:
                    _ = try await actor.press(
                        DemoTeamsRequests.Verb.skip, data: data, replyTo: activityID, id: "skip-\(label)")
                    tally.withLock { $0.teams.skipped += 1 }
                case .reflect:
                    let form = try await actor.press(
                        DemoTeamsRequests.Verb.reflect, data: data, replyTo: activityID, id: "reflect-\(label)")
                    guard DemoTeams.isForm(form) else {
                        throw DemoError("Reflect did not answer with the form: \(DemoTeams.rendered(form))")
                    }
                    var random = DemoRandom(seed: seed, label: "content|\(label)")
                    let reflection = DemoBehaviour.reflection(
                        person: person, team: team, focus: focus, colleagues: colleagues, random: &random)
                    try await actor.submit(reflection, nudgeID: nudgeID, replyTo: activityID, id: "submit-\(label)")
                    noteMentions(reflection)
                    tally.withLock { $0.teams.reflectedViaNudge += 1 }
                }
            case .spontaneous(let quick, let label):
                var random = DemoRandom(seed: seed, label: "content|spontaneous|\(label)")
                if quick {
                    let text = DemoBehaviour.quickText(person: person, team: team, random: &random)
                    let response = try await actor.requests.message(
                        "reflect \(text)", from: actor.member, id: "m-quick-\(label)")
                    guard response.status == .ok else {
                        throw DemoError("reflect <text>: HTTP \(response.status.code)")
                    }
                    tally.withLock { $0.teams.quickReflections += 1 }
                } else {
                    let cursor = actor.teams.postedCount
                    let response = try await actor.requests.message(
                        "reflect", from: actor.member, id: "m-form-\(label)")
                    guard response.status == .ok else { throw DemoError("reflect: HTTP \(response.status.code)") }
                    guard
                        let form = await actor.teams.card(in: actor.member.chat, after: cursor, where: DemoTeams.isForm)
                    else { throw DemoError("the bot did not answer `reflect` with the form (\(label))") }
                    let reflection = DemoBehaviour.reflection(
                        person: person, team: team, focus: [], colleagues: colleagues, random: &random)
                    try await actor.submit(reflection, nudgeID: nil, replyTo: form.activityID, id: "submit-\(label)")
                    noteMentions(reflection)
                    tally.withLock { $0.teams.formReflections += 1 }
                }
            }
        } catch {
            tally.withLock { $0.failures.append("\(error)") }
        }
    }

    func team(of person: DemoPerson) -> DemoTeam? { teamsByName[person.team] }

    func noteMentions(_ reflection: DemoReflection) {
        guard let name = reflection.mentionedName else { return }
        tally.withLock {
            $0.mentions += 1
            $0.mentionedNames.insert(name)
        }
    }

    func click(_ actionID: String, nudgeID: String, person: DemoPerson, trigger: String) async throws {
        let response = try await requests.blockAction(
            actionID, value: nudgeID, user: person, trigger: Self.safe(trigger))
        guard response.status == .ok else { throw DemoError("\(actionID): HTTP \(response.status.code)") }
    }

    /// Waits for the modal the server opened for `trigger`, then submits it. True when the server stored it.
    func submitForm(_ reflection: DemoReflection, trigger: String, person: DemoPerson) async throws -> Bool {
        guard let slack, let metadata = await slack.openedView(trigger: Self.safe(trigger)) else {
            throw DemoError("the server did not open the reflection form (trigger \(trigger))")
        }
        let question = slack.openedQuestion(trigger: Self.safe(trigger))
        let answer = question.flatMap { question in question.answer(by: person).map { (question, $0) } }
        let response = try await requests.viewSubmission(
            reflection, privateMetadata: metadata, user: person, question: answer)
        let json = try? JSONValue.decode(response.body)
        guard response.status == .ok, json?["response_action"]?.stringValue != "errors" else {
            throw DemoError(
                "the form was refused: HTTP \(response.status.code) \(String(decoding: response.body, as: UTF8.self))")
        }
        noteMentions(reflection)
        return true
    }
}
