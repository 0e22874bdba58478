import DebriefCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Every error the JSON API answers, in one shape and mapped to its response in one place:
/// `{"error": "<what is wrong and what to send instead>", "field": "<JSON field at fault>"}`.
///
/// Routes and middleware throw it (Hummingbird turns it into the response); code that must return a
/// `Response` uses ``response``.
struct APIProblem: HTTPResponseError {
    var status: HTTPResponse.Status
    var detail: String
    var field: String?
    /// Extra headers, e.g. `WWW-Authenticate` on a 401.
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ detail: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.field = field
        self.headers = headers
    }

    var response: Response {
        var body: [String: JSONValue] = ["error": .string(detail)]
        if let field { body["field"] = .string(field) }
        var response = APIResponse.json(.object(body), status: status)
        for header in headers { response.headers.append(header) }
        return response
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }
}

/// JSON answers of the API.
enum APIResponse {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.encoded())))
    }
}
