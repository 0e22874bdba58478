import Foundation

/// The error a Bot Connector answer carries: `{"error":{"code":"BotNotInConversationRoster","message":"…"}}`,
/// sometimes with a `subCode` (`MessageWritesBlocked` when a person blocked or uninstalled the bot).
///
/// Only the codes are read; messages can quote request content and are never kept.
package struct ConnectorErrorBody: Sendable, Equatable {
    package var code: String?
    package var subCode: String?

    /// Parses an answer's body; both codes are nil when it is not the documented shape.
    package init(_ body: Data) {
        guard let wire = try? JSONDecoder().decode(Wire.self, from: body) else { return }
        code = wire.error?.code.map(Self.safeCode).flatMap { $0.isEmpty ? nil : $0 }
        let sub = wire.error?.subCode ?? wire.error?.innerHttpError?.subCode ?? wire.subCode
        subCode = sub.map(Self.safeCode).flatMap { $0.isEmpty ? nil : $0 }
    }

    init(code: String?, subCode: String? = nil) {
        self.code = code
        self.subCode = subCode
    }

    /// The most specific code: the sub-code when present (it names the reason), else the code.
    package var mostSpecific: String? { subCode ?? code }

    /// Codes are short identifiers; anything else is cut to letters, digits, `_`, `.` and `-` (64 at most) before
    /// it reaches a log, a metric or a job's error.
    package static func safeCode(_ code: String) -> String {
        String(
            String.UnicodeScalarView(
                code.unicodeScalars.filter {
                    ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_"
                        || $0 == "." || $0 == "-"
                }.prefix(64)))
    }

    private struct Wire: Decodable {
        var error: Inner?
        var subCode: String?
    }

    private struct Inner: Decodable {
        var code: String?
        var subCode: String?
        var innerHttpError: InnerHTTP?
    }

    private struct InnerHTTP: Decodable {
        var subCode: String?
    }
}
