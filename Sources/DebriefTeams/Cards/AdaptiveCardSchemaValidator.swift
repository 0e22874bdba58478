import DebriefCore
import Foundation

/// Checks a card against the official Adaptive Cards JSON Schema (`schemas/1.5.0/adaptive-card.json` of
/// microsoft/AdaptiveCards, MIT), so a card Teams would refuse or render half fails in tests and in
/// `debrief prompts check`, not in front of employees.
///
/// No JSON Schema library is available to this build, so this implements exactly the draft-06 keywords
/// that schema uses — `$ref` (to `#/definitions/…`), `anyOf`, `allOf`, `type`, `enum`, `properties`,
/// `additionalProperties` (`false` or a schema), `required`, `items`, `pattern` — and ignores annotations
/// (`description`, `default`, `examples`, `version`, `features`, `format`). Loading a schema that uses any
/// other keyword fails, so a newer schema cannot silently be checked only in part.
///
/// The strict schema refuses Teams' own host extension `msteams` at the card root (reference `teams.md`
/// §5); it is allowed through an explicit list, ``teamsRootExtensions``, and checked for its known keys.
public struct AdaptiveCardSchemaValidator: Sendable {
    /// The schema's definitions by name.
    private let definitions: [String: JSONValue]
    private let root: JSONValue

    /// Keywords whose constraints this validator checks.
    static let assertionKeywords: Set<String> = [
        "$ref", "anyOf", "allOf", "type", "enum", "properties", "additionalProperties", "required", "items",
        "pattern",
    ]
    /// Keywords that only annotate.
    static let annotationKeywords: Set<String> = [
        "description", "default", "examples", "example", "version", "features", "format", "$schema", "id", "title",
        "definitions",
    ]

    /// Root properties Teams adds to the standard card, with the keys each may hold.
    public static let teamsRootExtensions: [String: Set<String>] = ["msteams": ["width", "entities"]]

    /// Parses a schema and checks that it uses only supported keywords.
    public init(schema data: Data) throws(AdaptiveCardSchemaError) {
        let schema: JSONValue
        do {
            schema = try JSONValue.decode(data)
        } catch {
            throw .unreadableSchema("not JSON")
        }
        guard let object = schema.objectValue else { throw .unreadableSchema("the schema is not a JSON object") }
        let definitions = object["definitions"]?.objectValue ?? [:]
        self.definitions = definitions
        self.root = schema
        try Self.checkKeywords(schema, path: "#")
        for (name, definition) in definitions {
            try Self.checkKeywords(definition, path: "#/definitions/" + name)
        }
    }

    /// Loads the schema file at `url`.
    public init(contentsOf url: URL) throws(AdaptiveCardSchemaError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableSchema("could not read \(url.path)")
        }
        try self.init(schema: data)
    }

    /// Every way `card` breaks the schema, each with a JSON pointer to the offending value; empty when valid.
    ///
    /// Also requires a top-level `version` no higher than ``AdaptiveCard/version``: the schema leaves it
    /// optional, Teams does not render a card without it or above 1.5.
    public func validate(_ card: JSONValue) -> [AdaptiveCardSchemaViolation] {
        var violations: [AdaptiveCardSchemaViolation] = []
        var stripped = card
        if case .object(var object) = card {
            for (name, allowedKeys) in Self.teamsRootExtensions {
                guard let value = object.removeValue(forKey: name) else { continue }
                guard let extensionObject = value.objectValue else {
                    violations.append(.init(path: "/" + name, message: "should be an object"))
                    continue
                }
                for key in extensionObject.keys.sorted() where !allowedKeys.contains(key) {
                    violations.append(.init(path: "/\(name)/\(key)", message: "is not a known Teams card extension"))
                }
            }
            stripped = .object(object)
            switch object["version"] {
            case .string(let version)?:
                if !Self.isSupported(version: version) {
                    violations.append(.init(path: "/version", message: "should be at most \(AdaptiveCard.version)"))
                }
            default:
                violations.append(.init(path: "/version", message: "is required on the top-level card, as a text"))
            }
        }
        var depth = 0
        violations += check(stripped, against: root, path: "", depth: &depth)
        return violations
    }

    // MARK: - Checking

    /// The deepest nesting of schemas followed; the 1.5 schema needs about 40 for Debrief's cards.
    private static let maximumDepth = 400

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, depth: inout Int)
        -> [AdaptiveCardSchemaViolation]
    {
        guard let rules = schema.objectValue else { return [] }
        depth += 1
        defer { depth -= 1 }
        guard depth < Self.maximumDepth else { return [.init(path: path, message: "is nested too deeply")] }
        var violations: [AdaptiveCardSchemaViolation] = []

        if let reference = rules["$ref"]?.stringValue {
            guard let target = resolve(reference) else {
                return [.init(path: path, message: "the schema refers to \(reference), which it does not define")]
            }
            violations += check(value, against: target, path: path, depth: &depth)
        }
        if let types = rules["type"] {
            let allowed = types.arrayValue?.compactMap(\.stringValue) ?? types.stringValue.map { [$0] } ?? []
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                return violations + [.init(path: path, message: "should be \(allowed.joined(separator: " or "))")]
            }
        }
        if let options = rules["enum"]?.arrayValue, !options.contains(value) {
            let names = options.compactMap(\.stringValue).joined(separator: ", ")
            violations.append(.init(path: path, message: Self.enumPrefix + names))
        }
        if let pattern = rules["pattern"]?.stringValue, case .string(let string) = value {
            if !Self.search(pattern, in: string) {
                violations.append(.init(path: path, message: "does not match the pattern \(pattern)"))
            }
        }
        if case .object(let object) = value {
            violations += checkObject(object, rules: rules, path: path, depth: &depth)
        }
        if case .array(let items) = value, let itemSchema = rules["items"] {
            for (index, item) in items.enumerated() {
                violations += check(item, against: itemSchema, path: path + "/\(index)", depth: &depth)
            }
        }
        if let all = rules["allOf"]?.arrayValue {
            for subschema in all {
                violations += check(value, against: subschema, path: path, depth: &depth)
            }
        }
        if let any = rules["anyOf"]?.arrayValue {
            var failures: [[AdaptiveCardSchemaViolation]] = []
            for subschema in any {
                let found = check(value, against: subschema, path: path, depth: &depth)
                if found.isEmpty {
                    failures = []
                    break
                }
                failures.append(found)
            }
            if !failures.isEmpty { violations += Self.explain(failures, path: path) }
        }
        return violations
    }

    private func checkObject(_ object: [String: JSONValue], rules: [String: JSONValue], path: String, depth: inout Int)
        -> [AdaptiveCardSchemaViolation]
    {
        var violations: [AdaptiveCardSchemaViolation] = []
        for key in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[key] == nil {
            violations.append(.init(path: path + "/" + Self.escape(key), message: "is required"))
        }
        let properties = rules["properties"]?.objectValue ?? [:]
        for key in object.keys.sorted() {
            guard let value = object[key] else { continue }
            let childPath = path + "/" + Self.escape(key)
            if let propertySchema = properties[key] {
                violations += check(value, against: propertySchema, path: childPath, depth: &depth)
                continue
            }
            switch rules["additionalProperties"] {
            case .bool(false)?:
                violations.append(.init(path: childPath, message: "is not a property this element has"))
            case .object?:
                if let additional = rules["additionalProperties"] {
                    violations += check(value, against: additional, path: childPath, depth: &depth)
                }
            default: break
            }
        }
        return violations
    }

    /// The violations that best explain why no alternative of an `anyOf` matched.
    ///
    /// When every alternative refused the value's `type` (an element type the schema does not know), that
    /// is the explanation, with every type that would have been accepted. Otherwise the alternative whose
    /// `type` matched and that got deepest into the value explains it best.
    private static func explain(_ failures: [[AdaptiveCardSchemaViolation]], path: String)
        -> [AdaptiveCardSchemaViolation]
    {
        let typePath = path + "/type"
        let typeMismatches = failures.map { found in
            found.first { $0.path == typePath && $0.message.hasPrefix(enumPrefix) }
        }
        if typeMismatches.allSatisfy({ $0 != nil }) {
            let names = typeMismatches.compactMap { $0?.message.dropFirst(enumPrefix.count) }.joined(separator: ", ")
            return [.init(path: typePath, message: enumPrefix + names)]
        }
        let candidates = zip(failures, typeMismatches).filter { $0.1 == nil }.map(\.0)
        let best = candidates.max { lhs, rhs in
            let left = lhs.map { $0.path.count }.max() ?? 0
            let right = rhs.map { $0.path.count }.max() ?? 0
            return left != right ? left < right : lhs.count > rhs.count
        }
        return best ?? failures.first ?? [.init(path: path, message: "matches none of the alternatives")]
    }

    private static let enumPrefix = "should be one of: "

    private func resolve(_ reference: String) -> JSONValue? {
        let prefix = "#/definitions/"
        guard reference.hasPrefix(prefix) else { return nil }
        let name = String(reference.dropFirst(prefix.count))
            .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        return definitions[name]
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("object", .object), ("array", .array), ("boolean", .bool), ("null", .null),
            ("number", .number):
            return true
        case ("integer", .number(let number)):
            return number.rounded() == number
        default:
            return false
        }
    }

    /// JSON Schema `pattern`: an unanchored ECMA-262-style search (the 1.5 schema's patterns are plain).
    private static func search(_ pattern: String, in string: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        let range = NSRange(string.startIndex..<string.endIndex, in: string)
        return regex.firstMatch(in: string, range: range) != nil
    }

    private static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    private static func isSupported(version: String) -> Bool {
        let parts = version.split(separator: ".").map { Int($0) }
        guard parts.count == 2, let major = parts[0], let minor = parts[1] else { return false }
        return major == 1 && minor >= 0 && minor <= 5
    }

    /// Fails on any keyword this validator does not implement (inside `properties` and `definitions` the
    /// keys are names, not keywords).
    private static func checkKeywords(_ schema: JSONValue, path: String) throws(AdaptiveCardSchemaError) {
        guard let object = schema.objectValue else { return }
        for (key, value) in object {
            switch key {
            case "properties":
                for (name, property) in value.objectValue ?? [:] {
                    try checkKeywords(property, path: path + "/properties/" + name)
                }
            case "definitions":
                continue
            case "anyOf", "allOf":
                for (index, subschema) in (value.arrayValue ?? []).enumerated() {
                    try checkKeywords(subschema, path: path + "/\(key)/\(index)")
                }
            case "items", "additionalProperties":
                try checkKeywords(value, path: path + "/" + key)
            default:
                guard assertionKeywords.contains(key) || annotationKeywords.contains(key) else {
                    throw .unsupportedKeyword(key, at: path)
                }
            }
        }
    }
}

/// One way a card breaks the schema.
public struct AdaptiveCardSchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// JSON pointer into the card, for example `/body/2/choices/0/title`.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { (path.isEmpty ? "(card)" : path) + " " + message }
}

/// Why a schema file cannot be used for checking.
public enum AdaptiveCardSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadableSchema(String)
    /// The schema uses a keyword the validator does not check; checking it partly would pass bad cards.
    case unsupportedKeyword(String, at: String)

    public var description: String {
        switch self {
        case .unreadableSchema(let reason): "the Adaptive Cards schema is unusable: \(reason)"
        case .unsupportedKeyword(let keyword, let path):
            "the Adaptive Cards schema uses \(keyword) at \(path), which the validator does not check"
        }
    }
}
