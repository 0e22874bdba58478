import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// The whole body, or nil when it is larger than `limit` bytes (said by `Content-Length` or found while
    /// reading), so a platform endpoint answers 413 without buffering more than it allows.
    mutating func body(upTo limit: Int) async throws -> Data? {
        if let length = headers[.contentLength].flatMap(Int.init), length > limit { return nil }
        do {
            return Data(try await collectBody(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            return nil
        }
    }
}

extension Response {
    /// 413 with a sentence naming the limit.
    static func tooLarge(_ limit: Int) -> Response {
        Response.text("request body is larger than \(limit) bytes\n", status: .contentTooLarge)
    }
}
