import DebriefCore
import Foundation

/// What a simulated person writes in the reflection form, as the raw values Slack would submit.
struct DemoReflection: Sendable {
    var text: String
    var category: TaskCategory?
    var tool: String?
    var outcome: Outcome?
    var minutes: MinutesSaved?
    var confidence: Int?
    var blockers: [Blocker]
    var consent: Consent
    /// The colleague's name the text mentions, if any (it must never reach a digest).
    var mentionedName: String?
}

/// How simulated people behave: whether and when they answer a nudge, and what they report.
///
/// The numbers are made up but shaped like pilot data: most answers come after the first nudge and fewer
/// after each later one; leaders answer more and report better outcomes, larger savings and more
/// confidence than ICs (the perception gap the digest is built to show); ICs name more blockers.
enum DemoBehaviour {
    enum NudgeReaction: Sendable {
        case reflect
        case snooze
        case skip
    }

    /// The reaction to the `ordinal`-th nudge (0-based) a person got for one training, if any, and how
    /// long after the DM it comes (simulated seconds).
    static func reaction(to ordinal: Int, person: DemoPerson, random: inout DemoRandom) -> (
        NudgeReaction, TimeInterval
    )? {
        let decay = [0.58, 0.44, 0.36, 0.29, 0.24]
        let roleFactor: Double =
            switch person.role {
            case .leader: 1.35
            case .manager: 1.05
            case .ic: 0.9
            }
        let probability = min(0.95, decay[min(ordinal, decay.count - 1)] * roleFactor * person.engagement)
        // Minutes to hours later: most within the morning, some in the afternoon.
        let delay = random.chance(0.7) ? random.uniform(600...7_200) : random.uniform(7_200...21_600)
        if random.chance(probability) {
            return (random.chance(0.93) ? .reflect : .snooze, delay)
        }
        return random.chance(0.07) ? (.skip, delay) : nil
    }

    /// The chance a person reflects on their own (`/reflect`) in a given week.
    static func spontaneousChance(_ person: DemoPerson) -> Double {
        let base: Double =
            switch person.role {
            case .leader: 0.42
            case .manager: 0.12
            case .ic: 0.06
            }
        return min(0.9, base * person.engagement)
    }

    static let tools: [(String, Int)] = [
        ("ChatGPT", 30), ("Copilot", 30), ("Claude", 15), ("Gemini", 10), ("the internal assistant", 15),
    ]

    static let artifacts: [TaskCategory: [String]] = [
        .drafting: [
            "the quarterly update", "a customer proposal", "the onboarding guide", "a job description",
            "the release notes", "a project brief",
        ],
        .research: [
            "a competitor's pricing", "the new data protection rules", "a market we are entering",
            "vendor options for our ticketing system", "an unfamiliar technical standard",
        ],
        .analysis: [
            "last quarter's churn numbers", "the support ticket backlog", "the survey comments", "the pipeline report",
            "the budget variance",
        ],
        .coding: [
            "the billing service", "a flaky integration test", "the reporting script", "an old shell script",
            "the mobile login screen",
        ],
        .data: [
            "the sales export", "a messy supplier list", "the hiring tracker", "our weekly metrics sheet",
            "the event sign-up data",
        ],
        .communication: [
            "the reply to an unhappy customer", "the announcement to the whole department",
            "the follow-up with a partner who missed a deadline", "the update for the steering group",
            "the welcome note for new starters",
        ],
        .admin: [
            "the planning meeting", "our weekly stand-up", "the offsite", "the quarterly review", "a vendor call",
        ],
        .other: ["a workshop agenda", "naming a new internal tool", "a training quiz", "preparing an interview"],
    ]

    static let positive: [TaskCategory: [String]] = [
        .drafting: [
            "Drafted {a} with {t}, then rewrote the opening myself. Much faster than starting from a blank page.",
            "Asked {t} for three outlines of {a} and merged the best parts.",
        ],
        .research: [
            "Used {t} to get an overview of {a} before reading the sources properly; saved me most of a morning.",
            "Had {t} list the open questions about {a}, which made the call with the expert much shorter.",
        ],
        .analysis: [
            "Asked {t} to find patterns in {a}. It spotted two I had missed; I checked both against the raw data.",
            "Used {t} to group {a} into themes, then read a sample of each theme myself.",
        ],
        .coding: [
            "Had {t} write unit tests for {a}; about half were usable as they came and they caught a real bug.",
            "Used {t} to explain {a} before changing it. Far quicker to get into unfamiliar code.",
        ],
        .data: [
            "Cleaned up {a} with a formula {t} suggested instead of fixing rows by hand.",
            "Asked {t} to turn {a} into a pivot table and a short summary for the team.",
        ],
        .communication: [
            "Let {t} tighten {a}; it kept the tone and cut the length in half.",
            "Used {t} to prepare {a}: it suggested points I would not have thought of.",
        ],
        .admin: [
            "Turned the notes from {a} into action items with {t} in a couple of minutes.",
            "Used {t} to draft the agenda for {a} from last time's open points.",
        ],
        .other: [
            "Used {t} for {a}; it gave me a good starting point.",
            "Tried {t} for {a} and it was more useful than I expected.",
        ],
    ]

    static let negative = [
        "Tried {t} on {a}, but checking the output took as long as doing it myself.",
        "{t} gave me a confident first version of {a} that missed the key point, so I started over.",
        "Not much difference yet for {a}: the draft from {t} needed too many corrections.",
        "Did not use {t} on {a} in the end because I was not sure the data was allowed in it.",
    ]

    static let leaderNotes = [
        "Wrote my all-hands notes with {t} and said so openly; it took half the time and people asked how.",
        "Asked {t} to argue against our hiring plan before the leadership meeting; it found a gap we then fixed.",
        "Used {t} to condense the board material into a one-page brief, then checked the numbers myself.",
        "Drafted the team update with {t} and shared the prompt with my directs so they can reuse it.",
        "Let {t} summarise the customer interviews before our strategy offsite; I read the three it flagged in full.",
        "Asked {t} which of our metrics contradict each other. Two did, and we changed the dashboard.",
        "Prepared my one-to-ones with {t}: a short agenda from last month's notes. My team noticed the difference.",
        "Tried {t} on the budget narrative and it got the tone wrong; I rewrote it, but the structure helped.",
    ]

    static let mentions = [
        "Paired with {n} on {a}; {t} gave us a first draft in minutes and we spent the time on the argument instead.",
        "{n} showed me how to ask {t} for counterarguments, which changed how I approached {a}.",
    ]

    static let quick = [
        "Used {t} to summarise a long thread before a meeting.",
        "AI helped me outline {a} in ten minutes.",
        "Asked {t} to explain an error message; it was right first time.",
        "Tried {t} for {a}; mixed results so far.",
        "Got {t} to turn my bullet points into a readable update.",
    ]

    /// A `/reflect <text>` quick reflection.
    static func quickText(person: DemoPerson, team: DemoTeam?, random: inout DemoRandom) -> String {
        let category = random.pick(team?.categories ?? [(.other, 1)])
        return fill(
            random.pick(quick), artifact: random.pick(artifacts[category] ?? ["a task"]), tool: random.pick(tools))
    }

    /// A full reflection form.
    ///
    /// - Parameters:
    ///   - focus: categories of the training the nudge is about (empty for a spontaneous reflection).
    ///   - colleagues: people whose names may appear in a text (never leaders who share openly).
    static func reflection(
        person: DemoPerson, team: DemoTeam?, focus: [TaskCategory], colleagues: [DemoPerson], random: inout DemoRandom
    ) -> DemoReflection {
        var category = random.pick(team?.categories ?? [(.other, 1)])
        if !focus.isEmpty, random.chance(0.6) { category = random.pick(focus) }
        let outcomeWeights: [(Outcome, Int)] =
            switch person.role {
            case .leader:
                [(.savedTime, 38), (.betterQuality, 30), (.newCapability, 17), (.noDifference, 12), (.worse, 3)]
            case .manager:
                [(.savedTime, 30), (.betterQuality, 25), (.newCapability, 10), (.noDifference, 27), (.worse, 8)]
            case .ic: [(.savedTime, 24), (.betterQuality, 19), (.newCapability, 8), (.noDifference, 36), (.worse, 13)]
            }
        let outcome = random.chance(0.95) ? random.pick(outcomeWeights) : nil
        let helped = outcome.map { [.savedTime, .betterQuality, .newCapability].contains($0) } ?? random.chance(0.5)

        var minutes: MinutesSaved?
        if helped {
            let weights: [(MinutesSaved, Int)] =
                switch person.role {
                case .leader: [(.upTo15, 10), (.upTo30, 25), (.upTo60, 35), (.upTo120, 20), (.moreThan120, 10)]
                case .manager:
                    [(.none, 5), (.upTo15, 20), (.upTo30, 30), (.upTo60, 25), (.upTo120, 15), (.moreThan120, 5)]
                case .ic: [(.none, 10), (.upTo15, 35), (.upTo30, 30), (.upTo60, 15), (.upTo120, 7), (.moreThan120, 3)]
                }
            minutes = random.chance(0.9) ? random.pick(weights) : nil
        } else {
            minutes = random.chance(0.7) ? MinutesSaved.none : nil
        }
        let confidenceWeights: [(Int, Int)] =
            switch person.role {
            case .leader: [(2, 5), (3, 20), (4, 45), (5, 30)]
            case .manager: [(1, 3), (2, 12), (3, 35), (4, 35), (5, 15)]
            case .ic: [(1, 8), (2, 22), (3, 38), (4, 25), (5, 7)]
            }
        let confidence = random.chance(0.9) ? random.pick(confidenceWeights) : nil
        let blockerFactor: Double =
            switch person.role {
            case .leader: 0.3
            case .manager: 0.8
            case .ic: helped ? 1.0 : 1.6
            }
        var blockers: [Blocker] = []
        for (blocker, chance) in [
            (Blocker.trustInOutput, 0.22), (.noTime, 0.18), (.policyUnclear, 0.14), (.skills, 0.11), (.noAccess, 0.09),
            (.other, 0.03),
        ] where random.chance(chance * blockerFactor) {
            blockers.append(blocker)
        }

        let consent: Consent
        switch person.role {
        case .leader where person.sharesOpenly:
            consent = random.chance(0.85) ? .attributed : .anonymousQuote
        case .leader:
            consent = random.chance(0.4) ? .anonymousQuote : .aggregateOnly
        case .manager:
            consent = random.chance(0.35) ? .anonymousQuote : .aggregateOnly
        case .ic:
            consent = random.chance(0.3) ? .anonymousQuote : .aggregateOnly
        }

        let tool = random.pick(tools)
        let artifact = random.pick(artifacts[category] ?? ["a task"])
        var mentioned: String?
        var template: String
        if consent == .attributed && helped {
            template = random.pick(leaderNotes)
        } else if consent == .anonymousQuote, helped, !colleagues.isEmpty, random.chance(0.2) {
            // People write naturally, names included: the digest must scrub them.
            let colleague = random.pick(colleagues)
            let name = random.chance(0.5) ? colleague.fullName : colleague.firstName
            mentioned = name
            template = random.pick(mentions).replacingOccurrences(of: "{n}", with: name)
        } else if helped {
            template = random.pick(positive[category] ?? positive[.other] ?? ["Used {t} for {a}."])
        } else {
            template = random.pick(negative)
        }
        if template.hasPrefix("{t}") { template = "{T}" + template.dropFirst(3) }
        return DemoReflection(
            text: fill(template, artifact: artifact, tool: tool), category: random.chance(0.92) ? category : nil,
            tool: random.chance(0.85) ? (tool == "the internal assistant" ? "Internal assistant" : tool) : nil,
            outcome: outcome, minutes: minutes, confidence: confidence, blockers: blockers, consent: consent,
            mentionedName: mentioned)
    }

    static func fill(_ template: String, artifact: String, tool: String) -> String {
        let capitalised = tool.prefix(1).uppercased() + tool.dropFirst()
        return template.replacingOccurrences(of: "{T}", with: capitalised).replacingOccurrences(of: "{t}", with: tool)
            .replacingOccurrences(of: "{a}", with: artifact)
    }
}
