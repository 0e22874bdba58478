import DebriefCore
import DebriefPlatform
import DebriefStore
import Foundation
import Hummingbird
import NIOCore

/// The admin HTTP API an LMS calls when a session ends: `POST /api/v1/trainings`, `GET /api/v1/trainings`,
/// `GET /api/v1/trainings/{id}`, behind ``AdminBearerMiddleware`` (tokens from `DEBRIEF_ADMIN_TOKENS`).
///
/// Lists carry counts only: never who took part or who answered.
struct AdminRoutes: Sendable {
    let features: TrainingFeatures?
    /// The connected platforms; a training's participants are on one of them (`"platform"` in the body).
    var platforms = ChatPlatforms([])

    /// The JSON an LMS posts.
    struct TrainingPayload: Decodable {
        var title: String?
        var topic: String?
        var endedAt: String?
        var sequence: String?
        var platform: String?
        var workspace: String?
        var participants: Participants?

        struct Participants: Decodable {
            var usergroups: [String]?
            var channels: [String]?
            var users: [String]?
            var emails: [String]?
        }

        enum CodingKeys: String, CodingKey {
            case title, topic, sequence, platform, workspace, participants
            case endedAt = "ended_at"
        }
    }

    /// Registers the routes on the admin group (already behind ``AdminBearerMiddleware``).
    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("/trainings") { request, _ in try await create(request) }
        group.get("/trainings") { request, _ in try await list(request) }
        group.get("/trainings/{id}") { request, context in
            try await show(request, id: context.parameters.get("id") ?? "")
        }
    }

    /// Trainings need a chat platform; without one the API says what to configure.
    func available() throws -> TrainingFeatures {
        guard let features else {
            throw APIProblem(
                .serviceUnavailable,
                "trainings are not available: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN and restart")
        }
        return features
    }

    func create(_ request: Request) async throws -> Response {
        let features = try available()
        let payload: TrainingPayload
        let maximumParticipants = features.registrar.maximumParticipants
        switch try await Self.decodeBody(
            request, as: TrainingPayload.self, limit: Self.trainingBodyLimit(maximumParticipants: maximumParticipants),
            expected: "title, ended_at, participants")
        {
        case .success(let decoded): payload = decoded
        case .failure(let problem): return problem.response
        }
        let listed = [
            payload.participants?.usergroups, payload.participants?.channels, payload.participants?.users,
            payload.participants?.emails,
        ].reduce(0) { $0 + ($1?.count ?? 0) }
        guard listed <= maximumParticipants else {
            return Self.tooManyParticipants(listed: listed, limit: maximumParticipants)
        }
        let trainingRequest: TrainingRequest
        switch Self.trainingRequest(from: payload, timeZone: features.organisationTimeZone) {
        case .success(let checked): trainingRequest = checked
        case .failure(let problem): return problem.response
        }
        var platform = Platform.slack
        if !platforms.isEmpty {
            switch PlatformChoice.resolve(payload.platform, among: platforms) {
            case .success(let chosen): platform = chosen.platform
            case .failure(let problem): return Self.problem(.unprocessableContent, problem.message, field: "platform")
            }
        }
        do {
            let training = try await features.registrar.accept(
                trainingRequest, platform: platform, workspace: payload.workspace ?? "", notifyUserID: nil)
            features.wakeWorker()
            return Self.json(
                [
                    "id": .string(training.id), "status": .string(TrainingStatus.resolvingParticipants.rawValue),
                    "links": ["self": .string("/api/v1/trainings/\(training.id)")],
                ], status: .accepted)
        } catch let rejection as TrainingRegistrar.Rejection {
            if case .tooManyParticipants(let listed, let limit) = rejection {
                return Self.tooManyParticipants(listed: listed, limit: limit)
            }
            return Self.problem(.unprocessableContent, rejection.description)
        }
    }

    /// Bytes a training body may have: room for the largest allowed participant list (e-mail addresses
    /// average well under 64 bytes as JSON), and never less than 1 MiB.
    static func trainingBodyLimit(maximumParticipants: Int) -> Int {
        (1 << 20) + 64 * max(0, min(maximumParticipants, NudgeConfiguration.participantsCeiling))
    }

    /// 413 for a list longer than a training may be: the same status as a body too large to read, since
    /// both mean "this request is bigger than the server accepts", with the field and the limit as JSON.
    static func tooManyParticipants(listed: Int, limit: Int) -> Response {
        json(
            [
                "error": .string(
                    "`participants` lists \(listed) entries, and a training can have at most \(limit) participants"
                        + " (DEBRIEF_MAX_PARTICIPANTS); split it into several trainings"),
                "field": "participants", "limit": .number(Double(limit)),
            ], status: .contentTooLarge)
    }

    func list(_ request: Request) async throws -> Response {
        let features = try available()
        let summaries = try await features.store.trainingSummaries()
        return Self.json(["trainings": .array(summaries.map(Self.summaryJSON))])
    }

    func show(_ request: Request, id: String) async throws -> Response {
        let features = try available()
        // One read: status, counts and report from the same snapshot (never "scheduled" with nobody in it).
        guard let summary = try await features.store.trainingSummary(id: id) else {
            return Self.problem(.notFound, "no training with id \(id)")
        }
        var json = Self.summaryJSON(summary)
        if case .object(var object) = json, let report = summary.resolution {
            if let overLimit = report.overLimit {
                // Stopped, not cut short: nobody of this training is nudged (the status says so too).
                object["error"] = .string(
                    "with \(overLimit.source) the training has more than \(overLimit.limit) participants"
                        + " (DEBRIEF_MAX_PARTICIPANTS); nothing was scheduled: register it as several smaller trainings"
                )
                object["limit"] = .number(Double(overLimit.limit))
            }
            object["unreachable"] = [
                "unknown_emails": .array(report.unknownEmails.map(JSONValue.string)),
                "deactivated_users": .number(Double(report.deactivatedUserIDs.count)),
                "unknown_users": .array(report.unknownUserIDs.map(JSONValue.string)),
                "unreadable_sources": .array(report.unreadableSources.map(JSONValue.string)),
            ]
            json = .object(object)
        }
        return Self.json(json)
    }

    static func summaryJSON(_ summary: TrainingSummary) -> JSONValue {
        let formatter = ISO8601DateFormatter()
        return [
            "id": .string(summary.training.id), "status": .string(summary.status.rawValue),
            "title": .string(summary.training.title),
            "topic": summary.training.topic.map(JSONValue.string) ?? .null,
            "ended_at": .string(formatter.string(from: summary.training.endedAt)),
            "sequence": .string(summary.training.sequenceID),
            "participants": .number(Double(summary.participants)),
            "unreachable": .number(Double(summary.training.unresolvedCount)),
            "nudges_sent": .number(Double(summary.nudgesSent)),
            "nudges_planned": .number(Double(summary.nudgesPending)),
        ]
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        APIResponse.json(value, status: status)
    }

    /// `{"error": detail}`, plus `"field"` naming the JSON field at fault when there is one (``APIProblem``).
    static func problem(_ status: HTTPResponse.Status, _ detail: String, field: String? = nil) -> Response {
        APIProblem(status, detail, field: field).response
    }
}

extension AdminRoutes {
    /// Reads and decodes a JSON body: the payload, or the 413/400 answer (with `expected` saying what the
    /// endpoint takes).
    static func decodeBody<Payload: Decodable>(
        _ request: Request, as type: Payload.Type, limit: Int, expected: String
    ) async throws -> Result<Payload, ProblemResponse> {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            return .failure(
                ProblemResponse(
                    problem(.contentTooLarge, "the request body is larger than \(Self.describeBytes(limit))")))
        }
        return decodeJSON(Data(body.readableBytesView), as: type, expected: expected)
    }

    /// Decodes a body already read: the payload, or the 400 answer. Pure, so the fuzz targets reach it.
    static func decodeJSON<Payload: Decodable>(_ body: Data, as type: Payload.Type, expected: String)
        -> Result<Payload, ProblemResponse>
    {
        do {
            return .success(try JSONDecoder().decode(type, from: body))
        } catch {
            return .failure(
                ProblemResponse(problem(.badRequest, "the body is not the JSON this endpoint expects: \(expected)")))
        }
    }

    /// `1 MiB`, or `7.1 MiB` for a limit that is not a whole number of mebibytes.
    static func describeBytes(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : String(format: "%.1f MiB", Double(bytes) / Double(1 << 20))
    }

    /// An error answer, carried through a `Result`.
    struct ProblemResponse: Error {
        let response: Response
        init(_ response: Response) { self.response = response }
    }
}
