import DebriefCore
import DebriefPrompts
import DebriefServer
import DebriefSlack
import Foundation

extension FuzzTarget {
    /// `/debrief <text>`: admin commands (admins are trusted, but typos and pasted text are not).
    static let adminCommand = FuzzTarget(
        name: "admin-command",
        summary: "AdminCommand.parse on /debrief text, with the escaping and week parsing the reply does"
    ) { input in
        let text = input.text
        for zone in FuzzZones.all {
            switch AdminCommand.parse(text, timeZone: zone) {
            case .invalid(let problem):
                FuzzExpect.that(!problem.isEmpty, "an invalid admin command says why")
                _ = SlackMarkup.escape(problem)
            case .trainingAdd(let request):
                FuzzExpect.that(
                    !request.title.trimmingCharacters(in: .whitespaces).isEmpty, "a training added has a title")
                FuzzExpect.that(
                    request.title.count <= TrainingRequest.maximumTitleLength,
                    "a training title has at most 150 characters")
                FuzzExpect.that(!request.participants.isEmpty, "a training added has participants")
                FuzzExpect.that(request.endedAt.timeIntervalSince1970.isFinite, "a training ended at a finite instant")
                _ = SlackMarkup.escape(request.title)
            case .digestPreview(let target, let week):
                _ = ServerDecoders.digestTargetKey(target)
                if let week, let key = WeekKey(week) {
                    FuzzExpect.that(WeekKey(key.description) == key, "a week read from a preview writes back the same")
                    _ = key.previous
                }
                _ = SlackMarkup.escape(target)
            case .help, .trainingList:
                break
            }
        }
    }
}

/// Time zones the date targets read in: UTC, a zone with daylight saving, and the extremes of the offsets.
enum FuzzZones {
    static let all: [TimeZone] = [
        "UTC", "Europe/Berlin", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/St_Johns",
    ]
    .compactMap(TimeZone.init(identifier:))
}
