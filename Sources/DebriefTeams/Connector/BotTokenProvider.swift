import DebriefCore
import DebriefHTTP
import Foundation
import HTTPTypes
import Logging

/// Gets and caches the bot's access token for the Bot Connector (client credentials, reference `teams.md` §3.1).
///
/// Why an actor with one fetch in flight: every outbound Teams call needs the token, and a fan-out of thousands of
/// nudges starts at the same moment the cached token expires. Without coordination each sender would ask the
/// token endpoint (a stampede Entra throttles); here the first caller fetches and every caller arriving meanwhile
/// waits for that same answer. A failed fetch is handed to those waiting and not cached: the next call tries again.
///
/// The token is reused until shortly before it expires (5 minutes, or half its lifetime when that is shorter),
/// so a call never goes out with a token that expires on the way. ``invalidate(_:)`` drops a token the Bot
/// Connector answered 401 to.
///
/// A caller waiting for another's fetch is not woken by its own cancellation: it gets the shared answer when the
/// fetch ends (at most the request timeout later). If the fetching caller is cancelled, the waiters do not
/// inherit its cancellation: one of them fetches again.
///
/// - Important: the client secret and the tokens are never logged, counted or put in an error.
public actor BotTokenProvider {
    public static let defaultTokenBaseURL = "https://login.microsoftonline.com"
    /// The scope of a Bot Connector token in the public cloud (US Government clouds use
    /// `https://api.botframework.us/.default`).
    public static let scope = "https://api.botframework.com/.default"
    /// How long before expiry a token is replaced.
    public static let refreshMargin: TimeInterval = 300

    private struct CachedToken {
        var value: String
        var refreshAt: Date
    }

    private enum SharedResult {
        case token(String)
        case failure(BotTokenError)
        /// The fetching caller was cancelled: someone else should fetch.
        case tryAgain
    }

    private let credentials: BotCredentials
    private let http: any HTTPClient
    private let tokenBaseURL: String
    private let scope: String
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let metrics: TeamsAPIMetrics
    private let requestTimeout: Duration
    private var cached: CachedToken?
    private var fetching = false
    private var waiters: [CheckedContinuation<SharedResult, Never>] = []

    /// - Parameters:
    ///   - tokenBaseURL: `https://login.microsoftonline.com` (the default); sovereign clouds and tests override it.
    ///     With or without a trailing slash.
    ///   - scope: what the token is for; the public cloud's Bot Connector unless a sovereign cloud says otherwise.
    ///   - now: the clock deciding when the cached token is too old.
    public init(
        credentials: BotCredentials, http: any HTTPClient, tokenBaseURL: String = BotTokenProvider.defaultTokenBaseURL,
        scope: String = BotTokenProvider.scope, logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
        metrics: TeamsAPIMetrics = .shared,
        requestTimeout: Duration = .seconds(10)
    ) {
        self.credentials = credentials
        self.http = http
        var base = tokenBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.tokenBaseURL = base
        self.scope = scope
        self.now = now
        self.logger = logger
        self.metrics = metrics
        self.requestTimeout = requestTimeout
    }

    /// The token URL for these credentials, or nil when a SingleTenant bot has no tenant id.
    public nonisolated var tokenURL: String? {
        credentials.authorityTenant.map {
            tokenBaseURL + "/" + ConnectorPath.encodeSegment($0) + "/oauth2/v2.0/token"
        }
    }

    /// A valid bearer token, from the cache or fetched now (once for all concurrent callers).
    public func token() async throws(BotTokenError) -> String {
        while true {
            if let cached, now() < cached.refreshAt { return cached.value }
            if fetching {
                let shared = await withCheckedContinuation { waiters.append($0) }
                switch shared {
                case .token(let value): return value
                case .failure(let error): throw error
                case .tryAgain:
                    if Task.isCancelled { throw .cancelled }
                    continue
                }
            }
            fetching = true
            let result = await fetch()
            fetching = false
            let waiting = waiters
            waiters = []
            switch result {
            case .success(let token):
                cached = token
                for waiter in waiting { waiter.resume(returning: .token(token.value)) }
                return token.value
            case .failure(.cancelled):
                for waiter in waiting { waiter.resume(returning: .tryAgain) }
                throw .cancelled
            case .failure(let error):
                for waiter in waiting { waiter.resume(returning: .failure(error)) }
                throw error
            }
        }
    }

    /// Forgets `token` if it is the cached one, so the next ``token()`` fetches a fresh one. Called when the Bot
    /// Connector answers 401; comparing the value means many calls failing with the same old token cause one
    /// refresh, not one each.
    public func invalidate(_ token: String) {
        if cached?.value == token { cached = nil }
    }

    // MARK: - Fetching

    private func fetch() async -> Result<CachedToken, BotTokenError> {
        guard let url = tokenURL else {
            return .failure(
                .misconfigured(
                    "MicrosoftAppTenantId is required for a SingleTenant bot (MicrosoftAppType=SingleTenant); "
                        + "set it to the bot's home tenant id, or set MicrosoftAppType=MultiTenant for an older bot"))
        }
        let form = ConnectorPath.formEncode([
            ("grant_type", "client_credentials"), ("client_id", credentials.appID),
            ("client_secret", credentials.password), ("scope", scope),
        ])
        let request = HTTPRequestSpec(
            method: .post, url: url,
            headerFields: [.contentType: "application/x-www-form-urlencoded", .accept: "application/json"],
            body: Data(form.utf8), timeout: requestTimeout)
        let requestedAt = now()
        let response: HTTPResponseData
        do {
            response = try await http.execute(request)
        } catch let error as HTTPClientError {
            metrics.record(.token, .transportError)
            if error == .cancelled { return .failure(.cancelled) }
            logger.warning("bot token request failed", metadata: ["error": "\(error)"])
            return .failure(.unavailable(error.description))
        } catch {
            metrics.record(.token, .transportError)
            if error is CancellationError { return .failure(.cancelled) }
            return .failure(.unavailable(String(describing: type(of: error))))
        }
        let status = response.status.code
        guard (200...299).contains(status) else {
            return .failure(failure(status: status, body: response.body))
        }
        guard let body = try? JSONDecoder().decode(TokenResponse.self, from: response.body),
            let token = body.accessToken, !token.isEmpty
        else {
            metrics.record(.token, .invalidResponse)
            return .failure(.invalidResponse("no access_token in the answer"))
        }
        metrics.record(.token, .ok)
        let lifetime = TimeInterval(max(0, body.expiresIn ?? 3600))
        let margin = min(Self.refreshMargin, lifetime / 2)
        logger.debug("bot token fetched", metadata: ["expires_in": "\(Int(lifetime))"])
        return .success(CachedToken(value: token, refreshAt: requestedAt.addingTimeInterval(lifetime - margin)))
    }

    private func failure(status: Int, body: Data) -> BotTokenError {
        let answer = try? JSONDecoder().decode(TokenErrorResponse.self, from: body)
        if status == 400 || status == 401 {
            metrics.record(.token, .unauthorized)
            let error = BotTokenError.rejected(
                status: status, error: answer?.error.map { ConnectorErrorBody.safeCode($0) },
                aadsts: answer?.aadstsCode)
            logger.error("\(error.description)")
            return error
        }
        if status == 429 {
            metrics.record(.token, .ratelimited)
        } else {
            metrics.record(.token, .httpError)
        }
        logger.warning("bot token endpoint answered an error", metadata: ["status": "\(status)"])
        return .unavailable("HTTP \(status)")
    }
}

/// `{"token_type":"Bearer","expires_in":3599,"access_token":"…"}`; `expires_in` is a number (some proxies send a
/// string).
private struct TokenResponse: Decodable {
    var accessToken: String?
    var expiresIn: Int?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case expiresIn = "expires_in"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accessToken = try container.decodeIfPresent(String.self, forKey: .accessToken)
        if let number = try? container.decodeIfPresent(Int.self, forKey: .expiresIn) {
            expiresIn = number
        } else if let text = try? container.decodeIfPresent(String.self, forKey: .expiresIn) {
            expiresIn = Int(text)
        }
    }
}

/// `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided…",
/// "error_codes":[7000215]}`. Only the codes are kept.
private struct TokenErrorResponse: Decodable {
    var error: String?
    var errorDescription: String?
    var errorCodes: [Int]?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
        case errorCodes = "error_codes"
    }

    /// `AADSTS7000215`, from `error_codes` or the start of the description.
    var aadstsCode: String? {
        if let first = errorCodes?.first { return "AADSTS\(first)" }
        guard let description = errorDescription, description.hasPrefix("AADSTS") else { return nil }
        let digits = description.dropFirst("AADSTS".count).prefix { $0.isASCII && $0.isNumber }.prefix(12)
        return digits.isEmpty ? nil : "AADSTS" + digits
    }
}
