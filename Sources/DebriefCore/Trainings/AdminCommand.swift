import Foundation

/// What an admin asked for with `/debrief ...`.
public enum AdminCommand: Sendable, Equatable {
    case help
    case trainingAdd(TrainingRequest)
    case trainingList
    /// `digest preview [leadership|team:<name>] [2026-W47]`: what would be posted, shown only to the admin.
    case digestPreview(target: String, week: String?)
    case invalid(String)
}

/// A training as an admin or an LMS describes it, before participants are resolved.
public struct TrainingRequest: Sendable, Equatable, Codable {
    public var title: String
    public var topic: String?
    /// When the session ended (UTC instant).
    public var endedAt: Date
    public var participants: [ParticipantSource]
    /// Which nudge sequence in `prompts/nudges/` to use.
    public var sequenceID: String

    public init(
        title: String, topic: String? = nil, endedAt: Date, participants: [ParticipantSource],
        sequenceID: String = "default"
    ) {
        self.title = title
        self.topic = topic
        self.endedAt = endedAt
        self.participants = participants
        self.sequenceID = sequenceID
    }

    public static let maximumTitleLength = 150
}

extension AdminCommand {
    /// Parses the text after `/debrief`, as Slack sends it with "escape channels, users and links" on:
    /// `training add "Prompting for briefs" ended:2026-11-20T16:00 participants:<!subteam^S123|@ai-cohort-3>`.
    ///
    /// `ended:` without an offset is read in `timeZone` (the organisation's zone). Participants may be
    /// several, separated by commas or spaces: user groups, channels, users and e-mail addresses.
    public static func parse(_ text: String, timeZone: TimeZone) -> AdminCommand {
        let tokens = tokenize(text)
        guard let first = tokens.first?.lowercased() else { return .help }
        switch first {
        case "help": return .help
        case "digest":
            guard tokens.count >= 2, tokens[1].lowercased() == "preview" else {
                return .invalid("Say `digest preview [leadership|team:<name>] [2026-W47]`.")
            }
            var target = "leadership"
            var week: String?
            for token in tokens.dropFirst(2) {
                if token.lowercased() == "leadership" || token.lowercased().hasPrefix("team:") {
                    target = token.lowercased() == "leadership" ? "leadership" : "team:" + token.dropFirst(5)
                } else if token.contains("-W") {
                    week = token
                } else {
                    return .invalid(
                        "I did not understand `\(token)`: use `leadership`, `team:<name>` or a week like `2026-W47`.")
                }
            }
            return .digestPreview(target: target, week: week)
        case "training", "trainings":
            guard tokens.count >= 2 else { return .invalid("Say `training add …` or `training list`.") }
            switch tokens[1].lowercased() {
            case "list": return .trainingList
            case "add": return parseAdd(Array(tokens.dropFirst(2)), timeZone: timeZone)
            default: return .invalid("Unknown training command `\(tokens[1])`; use `add` or `list`.")
            }
        default:
            return .invalid("Unknown command `\(tokens[0])`.")
        }
    }

    static func parseAdd(_ tokens: [String], timeZone: TimeZone) -> AdminCommand {
        var title: String?
        var topic: String?
        var ended: Date?
        var sequence = "default"
        var participants: [ParticipantSource] = []
        var pendingParticipants = false
        for token in tokens {
            let lower = token.lowercased()
            if lower.hasPrefix("ended:") {
                pendingParticipants = false
                let value = String(token.dropFirst("ended:".count))
                do {
                    ended = try parseEnded(value, timeZone: timeZone)
                } catch {
                    return .invalid(error.message(field: endedField))
                }
            } else if lower.hasPrefix("topic:") {
                pendingParticipants = false
                topic = String(token.dropFirst("topic:".count))
            } else if lower.hasPrefix("sequence:") {
                pendingParticipants = false
                sequence = String(token.dropFirst("sequence:".count))
            } else if lower.hasPrefix("participants:") {
                pendingParticipants = true
                let rest = String(token.dropFirst("participants:".count))
                if !rest.isEmpty {
                    guard let parsed = parseParticipants(rest) else {
                        return .invalid(
                            "I could not read the participants `\(rest)`: mention a user group, a channel, people or e-mail addresses."
                        )
                    }
                    participants += parsed
                }
            } else if pendingParticipants, let parsed = parseParticipants(token) {
                participants += parsed
            } else if title == nil {
                title = token
            } else {
                return .invalid("I did not understand `\(token)`. Put the title in quotes.")
            }
        }
        guard let title, !title.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .invalid("The training needs a title in quotes, e.g. `training add \"Prompting for briefs\" …`.")
        }
        guard title.count <= TrainingRequest.maximumTitleLength else {
            return .invalid("The title is longer than \(TrainingRequest.maximumTitleLength) characters.")
        }
        guard let ended else {
            return .invalid("Say when the training ended, e.g. `ended:2026-11-20T16:00`.")
        }
        guard !participants.isEmpty else {
            return .invalid(
                "Say who took part, e.g. `participants:@ai-cohort-3` (a user group, a channel, people or e-mails).")
        }
        // A set, not `unique.contains`: a pasted list of thousands of people must not take quadratic time.
        var seen: Set<ParticipantSource> = []
        let unique = participants.filter { seen.insert($0).inserted }
        return .trainingAdd(
            TrainingRequest(title: title, topic: topic, endedAt: ended, participants: unique, sequenceID: sequence))
    }

    /// Splits on whitespace, keeping "quoted strings" (straight or curly quotes) together.
    static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var inQuotes = false
        for character in text {
            if character == "\"" || character == "“" || character == "”" {
                if inQuotes {
                    tokens.append(current)
                    current = ""
                } else if !current.isEmpty {
                    tokens.append(current)
                    current = ""
                }
                inQuotes.toggle()
            } else if character.isWhitespace && !inQuotes {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// `<!subteam^S123|@handle>`, `<#C123|name>`, `<@U123|name>`, `<mailto:a@b.c|a@b.c>`, `a@b.c`, comma lists; in
    /// Teams also team or channel ids (`19:…@thread.tacv2`) and Entra object ids.
    static func parseParticipants(_ token: String) -> [ParticipantSource]? {
        var result: [ParticipantSource] = []
        for part in token.split(separator: ",").map(String.init) where !part.isEmpty {
            if part.hasPrefix("<") && part.hasSuffix(">") {
                let inner = part.dropFirst().dropLast()
                let id = String(inner.split(separator: "|", maxSplits: 1).first ?? "")
                if id.hasPrefix("!subteam^") {
                    result.append(.userGroup(id: String(id.dropFirst("!subteam^".count))))
                } else if id.hasPrefix("#") {
                    result.append(.channel(id: String(id.dropFirst())))
                } else if id.hasPrefix("@") {
                    result.append(.user(id: String(id.dropFirst())))
                } else if id.hasPrefix("mailto:") {
                    result.append(.email(String(id.dropFirst("mailto:".count)).lowercased()))
                } else {
                    return nil
                }
            } else if part.hasPrefix("19:"), part.contains("@thread.") {
                // A Teams team or channel id (`19:…@thread.tacv2`), before the e-mail test it would pass.
                result.append(.channel(id: part))
            } else if isObjectID(part) {
                // A Teams user by Entra object id.
                result.append(.user(id: part.lowercased()))
            } else if isEmail(part) {
                result.append(.email(part.lowercased()))
            } else {
                return nil
            }
        }
        return result.isEmpty ? nil : result
    }

    /// An Entra object id (a GUID), how Teams people are named: ASCII hexadecimal digits only, because
    /// `Character.isHexDigit` also accepts fullwidth digits (`７２ｆ…`), which no Microsoft id contains.
    public static func isObjectID(_ text: String) -> Bool {
        let groups = text.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12]
            && groups.allSatisfy { group in
                group.allSatisfy { byte in
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
                        UInt8(ascii: "A")...UInt8(ascii: "F"):
                        true
                    default: false
                    }
                }
            }
    }

    public static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }

    /// How `/debrief` names the end of a training in its error messages.
    public static let endedField = "`ended:`"

    /// When a training ended, from `ended:` here or `ended_at` in the admin API: `2026-11-20T16:00` (in
    /// `timeZone`, the organisation's), `2026-11-20T16:00:00+01:00`, `…Z`, a date alone (midnight), read
    /// strictly by ``DateTimeInput/dateTime(_:)`` so both entry points refuse the same mistakes in the same words.
    public static func parseEnded(_ text: String, timeZone: TimeZone) throws(DateTimeInputError) -> Date {
        try DateTimeInput.dateTime(text).instant(in: timeZone)
    }
}
