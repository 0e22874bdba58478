import DebriefCore
import Foundation
import Synchronization

/// `debrief demo`'s view of the habit after a training: people whose last nudge is done get the one-time offer,
/// about two in three say yes (Slack people; Teams cards are not simulated here), and leaders in a training are
/// asked first thing each week to share one thing. The report shows totals only — no streaks, no per-person
/// counts.
enum DemoHabit {
    struct Counts: Sendable {
        var offers = 0
        var yes = 0
        var noThanks = 0
        var recurring = 0
        var keepAsking = 0
        var leaderAsks = 0
    }

    /// One demo runs per process; its totals for the report.
    static let counts = Mutex(Counts())

    /// Counts the habit messages among the DMs just posted and answers the offers people got in Slack.
    static func react(to inbox: [DemoSlack.DirectMessage], simulation: DemoSimulation) async {
        for message in inbox where message.body.contains("\"habit_") {
            guard let json = try? JSONValue.decode(Data(message.body.utf8)) else { continue }
            let buttons = (json["blocks"]?.arrayValue ?? []).flatMap { $0["elements"]?.arrayValue ?? [] }
            let actions = buttons.compactMap { $0["action_id"]?.stringValue }
            // Slack's messages only (Teams cards carry the same choices as card actions; not simulated here).
            guard actions.contains(where: { $0.hasPrefix("habit_") }) else { continue }
            let isLeaderAsk = message.body.contains("Leaders go first")
            counts.withLock {
                if actions.contains("habit_yes") {
                    $0.offers += 1
                } else if actions.contains("habit_keep") {
                    $0.keepAsking += 1
                } else if isLeaderAsk {
                    $0.leaderAsks += 1
                } else {
                    $0.recurring += 1
                }
            }
            guard actions.contains("habit_yes"), let number = Int(message.userID.dropFirst()),
                simulation.organisation.people.indices.contains(number - 100_001),
                let promptID = buttons.first(where: { $0["action_id"] == "habit_yes" })?["value"]?.stringValue
            else { continue }
            let person = simulation.organisation.people[number - 100_001]
            var random = DemoRandom(seed: simulation.seed, label: "habit|\(person.userID)")
            let yes = random.chance(2.0 / 3.0)
            do {
                try await simulation.click(
                    yes ? "habit_yes" : "habit_no_thanks", nudgeID: promptID, person: person,
                    trigger: "habit-\(person.userID)")
                counts.withLock { if yes { $0.yes += 1 } else { $0.noThanks += 1 } }
            } catch {
                continue
            }
        }
    }

    /// The report's lines about the habit.
    static func printSummary() {
        let counts = counts.withLock { $0 }
        Swift.print("")
        Swift.print("== Keeping the habit (after the last nudge) ==")
        Swift.print(
            "Asked once whether they want a light prompt every other week: \(counts.offers) people; "
                + "\(counts.yes) said yes, \(counts.noThanks) no thanks (Slack people; answers simulated)")
        Swift.print(
            "Recurring prompts sent: \(counts.recurring); \"Should I keep asking?\": \(counts.keepAsking) "
                + "(the first prompt comes two weeks after a yes: run more --weeks to see them)")
        Swift.print(
            "Leaders asked first thing in their week to share one thing they tried: \(counts.leaderAsks) asks "
                + "(named in the digests only if they choose)")
        Swift.print("No streaks, scores, badges or rankings: only these totals.")
    }
}
