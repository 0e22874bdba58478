import DebriefCore
import Foundation

/// Turns a verified inbound body into a ``SlackInboundPayload``.
///
/// Follows Bolt's rule: JSON when the content type is `application/json` or the body starts with
/// `{`; otherwise a form, whose `payload` field (interactions) holds JSON. Bodies are user input:
/// every failure is a ``SlackPayloadError``, never a crash.
public enum SlackInboundDecoder {
    /// Decodes a body whose signature has already been verified.
    public static func decode(body: Data, contentType: String?) throws(SlackPayloadError) -> SlackInboundPayload {
        if isJSON(body: body, contentType: contentType) {
            return try decodeJSON(body)
        }
        let fields = SlackFormDecoder.decode(body)
        if let payload = fields["payload"] {
            return try decodeJSON(Data(payload.utf8))
        }
        if fields["ssl_check"] == "1" {
            return .sslCheck
        }
        if fields["command"] != nil {
            return .slashCommand(try slashCommand(fields))
        }
        if body.isEmpty { throw .malformed("empty body") }
        throw .malformed("form body has neither a `command` nor a `payload` field")
    }

    /// True when a form body is Slack's unsigned certificate check (`ssl_check=1` exactly).
    ///
    /// The only request answered without a signature, and only with an empty 200: nothing else in
    /// the body is processed. Any other value of `ssl_check` is not a check.
    public static func isSSLCheck(formBody: some Collection<UInt8>) -> Bool {
        guard let first = formBody.first, first != UInt8(ascii: "{") else { return false }
        return SlackFormDecoder.value(of: "ssl_check", in: formBody) == "1"
    }

    static func isJSON(body: Data, contentType: String?) -> Bool {
        if let contentType, isJSONMediaType(contentType) { return true }
        return body.first == UInt8(ascii: "{")
    }

    /// Whether a `Content-Type` names `application/json` (any case, parameters and surrounding blanks ignored).
    /// Compared in ASCII without building new strings: it runs on every Slack request.
    static func isJSONMediaType(_ contentType: String) -> Bool {
        let bytes = contentType.utf8
        let end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes[..<end].firstIndex(where: { !isBlank($0) }),
            let last = bytes[..<end].lastIndex(where: { !isBlank($0) })
        else { return false }
        let expected = "application/json".utf8
        return bytes[first...last].count == expected.count
            && zip(bytes[first...last], expected).allSatisfy { byte, wanted in
                // ASCII letters only differ from their capitals by bit 0x20; '/' is not a letter.
                byte == wanted || (wanted >= UInt8(ascii: "a") && wanted <= UInt8(ascii: "z") && byte | 0x20 == wanted)
            }
    }

    // MARK: - Slash commands

    static func slashCommand(_ fields: [String: String]) throws(SlackPayloadError) -> SlashCommand {
        func required(_ name: String) throws(SlackPayloadError) -> String {
            guard let value = fields[name], !value.isEmpty else {
                throw .malformed("slash command has no `\(name)`")
            }
            return value
        }
        return SlashCommand(
            teamID: try required("team_id"),
            enterpriseID: nonEmpty(fields["enterprise_id"]),
            channelID: try required("channel_id"),
            userID: try required("user_id"),
            command: try required("command"),
            text: fields["text"] ?? "",
            responseURL: try required("response_url"),
            triggerID: try required("trigger_id"),
            apiAppID: nonEmpty(fields["api_app_id"]),
            isEnterpriseInstall: fields["is_enterprise_install"] == "true")
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    // MARK: - JSON

    static func decodeJSON(_ data: Data) throws(SlackPayloadError) -> SlackInboundPayload {
        do {
            return try JSONDecoder().decode(InboundJSON.self, from: data).payload
        } catch let error as SlackPayloadError {
            throw error
        } catch let error as DecodingError {
            throw .malformed(describe(error))
        } catch {
            throw .malformed("body could not be decoded")
        }
    }

    /// Names the JSON path and the kind of problem, never the value found there.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let keys = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            return keys.isEmpty ? "the top level" : "`" + keys.joined(separator: ".") + "`"
        }
        switch error {
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "body is not valid JSON" }
            return "unreadable value at \(path(context.codingPath))"
        case .keyNotFound(let key, let context):
            return "missing `\(key.stringValue)` at \(path(context.codingPath))"
        case .typeMismatch(_, let context):
            return "unexpected kind of value at \(path(context.codingPath))"
        case .valueNotFound(_, let context):
            return "null where a value is required at \(path(context.codingPath))"
        @unknown default:
            return "body could not be decoded"
        }
    }

    /// A type value safe to put in a log line: short, and only letters, digits, `_` and `.`.
    static func safeType(_ type: String) -> String {
        let allowed = type.unicodeScalars.prefix(64).filter {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == "."
        }
        return String(String.UnicodeScalarView(allowed))
    }
}
