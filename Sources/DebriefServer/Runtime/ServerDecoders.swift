import DebriefCore
import DebriefStore
import Foundation
import HTTPTypes
import Hummingbird

/// Every reader in this module of bytes the server did not just produce — the admin API's bodies and the JSON
/// it stored earlier and reads back — as a pure function of those bytes.
///
/// Why: the routes and job handlers read their input on the way to a store or to Slack, which a fuzzer or a
/// quick test cannot drive at millions of inputs an hour. Each function here runs exactly the code the route or
/// handler runs on the bytes (the same decoder, the same checks) and stops where the store or Slack would
/// begin. Used by the fuzz targets in `DebriefFuzz`; `package` so it is not part of the public API.
package enum ServerDecoders {
    /// Why a body was refused: the HTTP status the route answers with.
    package struct Refusal: Error, Sendable, Equatable {
        package var status: Int
    }

    /// `POST /api/v1/trainings`: the training the body describes, read in the organisation's `timeZone`, or the
    /// status the route answers (400 for a body that is not the expected JSON, 422 for a bad field).
    package static func trainingRequest(body: Data, timeZone: TimeZone) -> Result<TrainingRequest, Refusal> {
        let decoded = AdminRoutes.decodeJSON(
            body, as: AdminRoutes.TrainingPayload.self, expected: "title, ended_at, participants")
        switch decoded {
        case .failure(let problem):
            return .failure(Refusal(status: Int(problem.response.status.code)))
        case .success(let payload):
            return AdminRoutes.trainingRequest(from: payload, timeZone: timeZone)
                .mapError { Refusal(status: Int($0.response.status.code)) }
        }
    }

    /// `PUT /api/v1/roles`: how many entries pass the checks, or the status the route answers (400, 422).
    package static func roleAssignments(body: Data) -> Result<Int, Refusal> {
        let decoded = AdminRoutes.decodeJSON(body, as: RoleRoutes.Payload.self, expected: "people")
        switch decoded {
        case .failure(let problem):
            return .failure(Refusal(status: Int(problem.response.status.code)))
        case .success(let payload):
            switch RoleRoutes.check(payload.people ?? []) {
            case .success(let assignments): return .success(assignments.count)
            case .failure: return .failure(Refusal(status: 422))
            }
        }
    }

    /// The job kinds whose parameters the server stores as JSON and decodes when a worker claims the job.
    package static let jobKinds = JobKind.allCases.map(\.rawValue)

    /// Whether the handler for `kind` can start on a stored job with these parameters: they decode (through
    /// `Job.decodeParameters`, as the worker does) and the first values it reads from them are usable.
    package static func jobParametersUsable(kind: String, parameters: Data) -> Bool {
        let job = Job(
            id: 1, kind: kind, parameters: parameters, state: .running, runAt: Date(timeIntervalSince1970: 0),
            attempts: 0, maxAttempts: 1, dedupeKey: nil, bucket: nil)
        switch JobKind(rawValue: kind) {
        case .trainingResolve:
            return (try? job.decodeParameters(TrainingRegistrar.ResolveParameters.self)) != nil
        case .nudgeSend:
            return (try? job.decodeParameters(NudgeScheduler.SendParameters.self)) != nil
        case .digestPost:
            guard let parameters = try? job.decodeParameters(DigestScheduler.Parameters.self) else { return false }
            // The digest job refuses a week it cannot read, and keys its stored row by the target.
            return WeekKey(parameters.week) != nil && !parameters.target.key.isEmpty
        case .habitSend:
            guard let parameters = try? job.decodeParameters(HabitScheduler.Parameters.self) else { return false }
            return HabitSlot(key: parameters.slot) != nil
        case nil:
            return false
        }
    }

    /// A stored week release (`digest_releases.release`), as the digest computation reads it.
    package static func weekRelease(_ data: Data) -> WeekRelease? {
        try? DigestComputation.decode(data)
    }

    /// A stored digest document (`digests.document`), as the page, the post and the preview read it.
    package static func digestDocument(_ data: Data) -> DigestDocument? {
        try? DigestService.decode(data)
    }

    /// The digest a target key names (`leadership`, `team:<name>`), as `/debrief digest preview` and the digest
    /// page read it; nil when it names none.
    package static func digestTargetKey(_ key: String) -> String? {
        DigestTarget.Scope(key: key)?.key
    }
}
