import DebriefCore
import Foundation
import HTTPTypes
import Hummingbird

extension AdminRoutes {
    /// The training a decoded `POST /api/v1/trainings` body describes, or the 422 answer naming what is wrong:
    /// every check the route makes before handing the request to the registrar.
    ///
    /// Pure (no store, no Slack), so the body's whole path from bytes to a ``TrainingRequest`` can be fuzzed
    /// (``ServerDecoders/trainingRequest(body:timeZone:)``) and tested without a server.
    static func trainingRequest(from payload: TrainingPayload, timeZone: TimeZone)
        -> Result<TrainingRequest, ProblemResponse>
    {
        guard let title = payload.title?.trimmingCharacters(in: .whitespaces), !title.isEmpty else {
            return .failure(ProblemResponse(problem(.unprocessableContent, "`title` is required")))
        }
        let ended: Date
        do {
            ended = try AdminCommand.parseEnded(payload.endedAt ?? "", timeZone: timeZone)
        } catch {
            // The same sentence `/debrief training add … ended:` gives, with this API's field name.
            return .failure(
                ProblemResponse(problem(.unprocessableContent, error.message(field: "`ended_at`"), field: "ended_at")))
        }
        var sources: [ParticipantSource] = []
        sources += (payload.participants?.usergroups ?? []).map { .userGroup(id: $0) }
        sources += (payload.participants?.channels ?? []).map { .channel(id: $0) }
        sources += (payload.participants?.users ?? []).map { .user(id: $0) }
        sources += (payload.participants?.emails ?? []).map { .email($0.lowercased()) }
        let invalidEmails = (payload.participants?.emails ?? []).filter { !AdminCommand.isEmail($0) }
        guard invalidEmails.isEmpty else {
            return .failure(
                ProblemResponse(
                    problem(
                        .unprocessableContent,
                        "\(invalidEmails.count) entries in `participants.emails` are not e-mail addresses")))
        }
        return .success(
            TrainingRequest(
                title: title, topic: payload.topic, endedAt: ended, participants: sources,
                sequenceID: payload.sequence ?? "default"))
    }
}
