/// Why an inbound body could not be turned into a ``SlackInboundPayload``.
///
/// Reasons are one line for operators and never quote field values, which can be personal.
public enum SlackPayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A well-formed payload of a kind Debrief does not handle (for example `shortcut`). The type is
    /// reduced to a short, safe token.
    case unknownType(String)
    case malformed(String)

    public var description: String {
        switch self {
        case .unknownType(let type): "Slack payload of unhandled type \"\(type)\""
        case .malformed(let reason): "malformed Slack payload: \(reason)"
        }
    }
}
