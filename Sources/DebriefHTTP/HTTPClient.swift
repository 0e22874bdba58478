import Foundation
import HTTPTypes

/// The one way Debrief talks to the outside world over HTTP.
///
/// A protocol so platform clients (Slack Web API, Teams connector) can be tested against loopback fakes
/// or in-memory doubles; the production implementation is ``CurlHTTPClient``.
public protocol HTTPClient: Sendable {
    /// Performs one request and returns the whole response. Non-2xx statuses are returned, not thrown:
    /// 429 and 5xx are data for the retry layer. Throws ``HTTPClientError`` on transport failures.
    func execute(_ request: HTTPRequestSpec) async throws -> HTTPResponseData
}

/// An outbound request: method, absolute URL, headers, body and a total timeout.
public struct HTTPRequestSpec: Sendable {
    public var method: HTTPRequest.Method
    public var url: String
    public var headerFields: HTTPFields
    public var body: Data
    /// Total time allowed for the transfer, including connecting.
    public var timeout: Duration

    public init(
        method: HTTPRequest.Method, url: String, headerFields: HTTPFields = [:], body: Data = Data(),
        timeout: Duration = .seconds(10)
    ) {
        self.method = method
        self.url = url
        self.headerFields = headerFields
        self.body = body
        self.timeout = timeout
    }
}

/// A complete response: status, headers and body bytes.
public struct HTTPResponseData: Sendable {
    public var status: HTTPResponse.Status
    public var headerFields: HTTPFields
    public var body: Data

    public init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], body: Data = Data()) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
    }
}

/// Transport failures, with messages an operator can act on. Never contains request bodies or tokens.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case timedOut(url: String)
    case cancelled
    case couldNotConnect(url: String, reason: String)
    case transport(url: String, reason: String)
    case clientShutDown

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid URL: \(url)"
        case .timedOut(let url): "request to \(url) timed out"
        case .cancelled: "request was cancelled"
        case .couldNotConnect(let url, let reason): "could not connect to \(url): \(reason)"
        case .transport(let url, let reason): "request to \(url) failed: \(reason)"
        case .clientShutDown: "the HTTP client has been shut down"
        }
    }
}
