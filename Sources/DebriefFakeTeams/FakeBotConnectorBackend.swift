import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// The fake's state and request handlers, shared by the router closures and ``FakeTeams``.
///
/// Bodies are read with `JSONSerialization` on purpose: the fake follows the documented wire shapes
/// (reference `teams.md` §3–§4) and shares no types with the adapter it checks.
final class FakeBotConnectorBackend: Sendable {
    let state: Mutex<FakeTeams.State>

    init(state: FakeTeams.State) {
        self.state = Mutex(state)
    }

    // MARK: - Token endpoint

    func handleToken(tenant: String, request: Request, body: Data) async -> Response {
        let call = record(.token, request: request, body: body, tenant: tenant)
        if let response = await applyFault(.token) { return response }
        let form = Self.decodeForm(String(decoding: body, as: UTF8.self))
        let checked = state.withLock { state -> Response in
            state.tokenRequests += 1
            guard state.authorityTenants.contains(tenant) else {
                return Self.aadError(
                    status: .badRequest, error: "invalid_request", code: 90002,
                    message: "Tenant '\(tenant)' not found. Check to make sure you have the correct tenant ID.")
            }
            guard call.contentType?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false else {
                return Self.aadError(
                    status: .badRequest, error: "invalid_request", code: 900144,
                    message: "The request body must contain the following parameter: 'grant_type'.")
            }
            guard form["grant_type"] == "client_credentials" else {
                return Self.aadError(
                    status: .badRequest, error: "unsupported_grant_type", code: 70003,
                    message: "The app requested an unsupported grant type.")
            }
            guard form["client_id"] == state.appID else {
                return Self.aadError(
                    status: .badRequest, error: "unauthorized_client", code: 700016,
                    message: "Application was not found in the directory.")
            }
            guard form["client_secret"] == state.password else {
                return Self.aadError(
                    status: .unauthorized, error: "invalid_client", code: 7_000_215,
                    message: "Invalid client secret provided. Ensure the secret being sent in the request is the "
                        + "client secret value, not the client secret ID.")
            }
            guard form["scope"] == FakeTeams.botFrameworkScope else {
                return Self.aadError(
                    status: .badRequest, error: "invalid_scope", code: 70011,
                    message: "The provided request must include a 'scope' input parameter.")
            }
            state.issuedTokenCount += 1
            let token = "fake-bot-token-\(state.issuedTokenCount)"
            state.validTokens.insert(token)
            let lifetime = state.tokenLifetimeSeconds
            return Self.json([
                "token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": token,
            ])
        }
        return checked
    }

    // MARK: - Bot Connector

    /// Every Bot Connector route: record, fault, bearer token, rate limit, then the route's own logic.
    func handleConnector(
        _ route: FakeTeams.Route, request: Request, body: Data, conversationID: String? = nil,
        activityID: String? = nil, teamID: String? = nil
    ) async -> Response {
        let arrived = ContinuousClock.now
        let call = record(
            route, request: request, body: body, conversationID: conversationID, activityID: activityID,
            teamID: teamID)
        if let response = await applyFault(route) { return response }
        let admitted = state.withLock { state -> Response? in
            state.traffic.calls[route, default: 0] += 1
            guard let token = call.token, state.validTokens.contains(token) else {
                state.traffic.unauthorized += 1
                return Self.json(
                    ["message": "Authorization has been denied for this request."], status: .unauthorized)
            }
            guard var limit = state.rateLimit else { return nil }
            defer { state.rateLimit = limit }
            if limit.take(at: arrived) { return nil }
            state.traffic.rateLimited.append(arrived)
            return Self.rateLimited(retryAfter: limit.retryAfterSeconds)
        }
        if let admitted { return admitted }
        switch route {
        case .createConversation: return createConversation(call)
        case .sendToConversation, .replyToActivity: return post(call)
        case .updateActivity: return update(call)
        case .pagedMembers: return pagedMembers(call)
        case .teamChannels: return teamChannels(call)
        case .token: return Self.connectorError(status: .notFound, code: "NotFound", message: "Not found.")
        }
    }

    private func createConversation(_ call: FakeBotConnectorCall) -> Response {
        guard call.isJSON, let object = Self.object(call.body) else {
            return Self.badArgument("The request body must be a JSON object.")
        }
        let channelData = object["channelData"] as? [String: Any]
        let tenant = (object["tenantId"] as? String) ?? ((channelData?["tenant"] as? [String: Any])?["id"] as? String)
        let isGroup = object["isGroup"] as? Bool ?? false
        let channelID = (channelData?["channel"] as? [String: Any])?["id"] as? String
        return state.withLock { state -> Response in
            guard let tenant, !tenant.isEmpty else { return Self.badArgument("Tenant ID is required.") }
            if isGroup || channelID != nil {
                guard let channelID, !channelID.isEmpty else {
                    return Self.badArgument("Only channel conversations can be created as groups.")
                }
                guard state.channelExists(channelID) else {
                    return Self.connectorError(
                        status: .notFound, code: "ConversationNotFound", message: "Conversation not found.")
                }
                guard let activity = object["activity"] as? [String: Any], activity["type"] is String else {
                    return Self.badArgument("An activity is required to start a channel conversation.")
                }
                if let tooBig = state.checkSize(call.body) { return tooBig }
                let activityID = state.nextActivityID()
                let threadID = channelID + ";messageid=" + activityID
                state.knownConversations.insert(threadID)
                state.posted.append(
                    FakeTeams.PostedActivity(
                        route: .createConversation, conversationID: threadID, activityID: activityID, replyToID: nil,
                        body: (try? JSONSerialization.data(withJSONObject: activity)) ?? Data()))
                state.activityIDs[threadID, default: []].insert(activityID)
                state.traffic.acceptedPosts.append(ContinuousClock.now)
                return Self.json(["id": threadID, "activityId": activityID], status: .created)
            }
            guard let members = object["members"] as? [[String: Any]], !members.isEmpty else {
                return Self.badArgument("Conversations must have a member.")
            }
            guard members.count == 1 else { return Self.badArgument("Conversations must be to a single member") }
            if let bot = (object["bot"] as? [String: Any])?["id"] as? String, bot != "28:" + state.appID {
                return Self.badArgument("The bot id does not match the token.")
            }
            guard let memberKey = members[0]["id"] as? String, let member = state.member(byIDOrAAD: memberKey),
                state.installed.contains(member.id)
            else {
                return Self.connectorError(
                    status: .forbidden, code: "BotNotInConversationRoster",
                    message: "The bot is not part of the conversation roster.")
            }
            let conversationID = state.personalConversation(for: member.id)
            return Self.json(["id": conversationID], status: .created)
        }
    }

    private func post(_ call: FakeBotConnectorCall) -> Response {
        guard let conversationID = call.conversationID else { return Self.badArgument("Missing conversation id.") }
        guard call.isJSON, let activity = Self.object(call.body), activity["type"] is String else {
            return Self.badArgument("The request body must be a JSON Activity with a type.")
        }
        return state.withLock { state -> Response in
            if let refused = state.checkWritable(conversationID) { return refused }
            if call.route == .replyToActivity, let replyTo = call.activityID,
                !(state.activityIDs[conversationID]?.contains(replyTo) ?? false),
                !state.isThreadRoot(conversationID: conversationID, activityID: replyTo)
            {
                return Self.connectorError(
                    status: .notFound, code: "ActivityNotFound", message: "The activity to reply to was not found.")
            }
            if let tooBig = state.checkSize(call.body) { return tooBig }
            let activityID = state.nextActivityID()
            state.activityIDs[conversationID, default: []].insert(activityID)
            state.posted.append(
                FakeTeams.PostedActivity(
                    route: call.route, conversationID: conversationID, activityID: activityID,
                    replyToID: call.activityID, body: call.body))
            state.traffic.acceptedPosts.append(ContinuousClock.now)
            return Self.json(["id": activityID], status: .created)
        }
    }

    private func update(_ call: FakeBotConnectorCall) -> Response {
        guard let conversationID = call.conversationID, let activityID = call.activityID else {
            return Self.badArgument("Missing conversation or activity id.")
        }
        guard call.isJSON, let activity = Self.object(call.body), activity["type"] is String else {
            return Self.badArgument("The request body must be a JSON Activity with a type.")
        }
        return state.withLock { state -> Response in
            if let refused = state.checkWritable(conversationID) { return refused }
            guard state.activityIDs[conversationID]?.contains(activityID) ?? false else {
                return Self.connectorError(
                    status: .notFound, code: "ActivityNotFound", message: "The activity to update was not found.")
            }
            if let tooBig = state.checkSize(call.body) { return tooBig }
            state.posted.append(
                FakeTeams.PostedActivity(
                    route: .updateActivity, conversationID: conversationID, activityID: activityID, replyToID: nil,
                    body: call.body))
            return Self.json(["id": activityID])
        }
    }

    private func pagedMembers(_ call: FakeBotConnectorCall) -> Response {
        guard let conversationID = call.conversationID else { return Self.badArgument("Missing conversation id.") }
        return state.withLock { state -> Response in
            guard let memberIDs = state.memberIDs(of: conversationID) else {
                return Self.connectorError(
                    status: .notFound, code: "ConversationNotFound", message: "Conversation not found.")
            }
            let requested = call.query["pageSize"].flatMap { Int($0) } ?? 200
            let size = min(max(requested, 1), state.maximumPageSize)
            var offset = 0
            if let token = call.query["continuationToken"] {
                guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
                    text.hasPrefix("offset:"), let value = Int(text.dropFirst("offset:".count)),
                    (0...memberIDs.count).contains(value)
                else { return Self.badArgument("Invalid continuation token.") }
                offset = value
            }
            let end = min(memberIDs.count, offset + size)
            let members = memberIDs[offset..<end].compactMap { state.members[$0] }.map { member -> [String: Any] in
                var json: [String: Any] = ["id": member.id, "name": member.name, "tenantId": member.tenantID]
                if let aad = member.aadObjectId { json["aadObjectId"] = aad }
                if let email = member.email { json["email"] = email }
                if let upn = member.userPrincipalName { json["userPrincipalName"] = upn }
                json["userRole"] = "user"
                return json
            }
            var page: [String: Any] = ["members": members]
            if end < memberIDs.count { page["continuationToken"] = Data("offset:\(end)".utf8).base64EncodedString() }
            return Self.json(page)
        }
    }

    private func teamChannels(_ call: FakeBotConnectorCall) -> Response {
        guard let teamID = call.teamID else { return Self.badArgument("Missing team id.") }
        return state.withLock { state -> Response in
            guard let team = state.teams[teamID] else {
                return Self.connectorError(status: .notFound, code: "TeamNotFound", message: "Team not found.")
            }
            let channels = team.channels.map { channel -> [String: Any] in
                var json: [String: Any] = ["id": channel.id]
                json["name"] = channel.name ?? NSNull()
                return json
            }
            return Self.json(["conversations": channels])
        }
    }

    // MARK: - Recording and faults

    private func record(
        _ route: FakeTeams.Route, request: Request, body: Data, tenant: String? = nil, conversationID: String? = nil,
        activityID: String? = nil, teamID: String? = nil
    ) -> FakeBotConnectorCall {
        var token: String?
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") {
            token = String(authorization.dropFirst("Bearer ".count))
        }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters where query[String(key)] == nil {
            query[String(key)] = String(value)
        }
        let call = FakeBotConnectorCall(
            route: route, method: request.method.rawValue, rawPath: request.uri.path, conversationID: conversationID,
            activityID: activityID, teamID: teamID, tenant: tenant, query: query, token: token,
            contentType: request.headers[.contentType], body: body)
        state.withLock { if $0.recordsCalls { $0.calls.append(call) } }
        return call
    }

    private func applyFault(_ route: FakeTeams.Route) async -> Response? {
        let fault: FakeTeams.Fault? = state.withLock { state in
            guard var queue = state.faults[route], !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            state.faults[route] = queue
            return first
        }
        switch fault {
        case nil:
            return nil
        case .rateLimited(let retryAfter):
            return Self.rateLimited(retryAfter: retryAfter)
        case .status(let status):
            let code =
                switch status {
                case 412: "PreconditionFailed"
                case 413: "MessageSizeTooBig"
                case 502: "BadGateway"
                case 503: "ServiceUnavailable"
                case 504: "GatewayTimeout"
                default: "ServiceError"
                }
            return Self.connectorError(
                status: HTTPResponse.Status(code: status), code: code, message: "Injected failure.")
        case .error(let status, let code, let subCode):
            return Self.connectorError(
                status: HTTPResponse.Status(code: status), code: code, message: "Injected failure.", subCode: subCode)
        case .delay(let duration):
            try? await Task.sleep(for: duration)
            return nil
        }
    }

    // MARK: - Shapes

    static func object(_ body: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }

    static func json(_ value: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if let name = HTTPField.Name("X-Correlating-OperationId") { headers[name] = UUID().uuidString.lowercased() }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `{"error":{"code":…,"message":…}}`, the Bot Connector's error shape, with `subCode` when given.
    static func connectorError(
        status: HTTPResponse.Status, code: String, message: String, subCode: String? = nil
    ) -> Response {
        var error: [String: Any] = ["code": code, "message": message]
        if let subCode { error["subCode"] = subCode }
        return json(["error": error], status: status)
    }

    static func badArgument(_ message: String) -> Response {
        connectorError(status: .badRequest, code: "BadArgument", message: message)
    }

    /// Entra's OAuth error shape.
    static func aadError(status: HTTPResponse.Status, error: String, code: Int, message: String) -> Response {
        json(
            [
                "error": error, "error_description": "AADSTS\(code): \(message)", "error_codes": [code],
                "timestamp": "2026-12-07 08:00:00Z", "trace_id": UUID().uuidString.lowercased(),
                "correlation_id": UUID().uuidString.lowercased(),
            ], status: status)
    }

    /// HTTP 429, with `Retry-After` when given (Teams does not document one; gateways sometimes send it).
    static func rateLimited(retryAfter: Int?) -> Response {
        let response = connectorError(
            status: .tooManyRequests, code: "TooManyRequests", message: "Too many requests.")
        guard let retryAfter else { return response }
        var headers = response.headers
        headers[.retryAfter] = String(retryAfter)
        return Response(status: response.status, headers: headers, body: response.body)
    }

    /// `application/x-www-form-urlencoded`; first value wins.
    static func decodeForm(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }
}
