import Configuration
import Foundation

/// What the components read their keys from: one swift-configuration reader scoped to each section
/// (`slack`, `debrief`), chosen by the key, so a key can only be read where the catalogue says it lives.
///
/// Every value is read as text and converted here, not with the library's typed readers: those turn a value
/// that does not convert into "unset" (so a typo would silently become the default) or into a generic
/// "not convertible" error, and their number parsing is looser than ours (`+80`, YAML's `0x50`). An operator's
/// mistake must stop the start with a message naming the key and the expected form.
struct ConfigurationSource {
    private let slack: ConfigReader
    private let teams: ConfigReader
    private let debrief: ConfigReader

    init(_ reader: ConfigReader) {
        slack = reader.scoped(to: ConfigKey(ConfigurationKey.Section.slack.rawValue))
        teams = reader.scoped(to: ConfigKey(ConfigurationKey.Section.teams.rawValue))
        debrief = reader.scoped(to: ConfigKey(ConfigurationKey.Section.debrief.rawValue))
    }

    private func reader(for key: ConfigurationKey) -> ConfigReader {
        switch key.section {
        case .slack: slack
        case .teams: teams
        case .debrief: debrief
        }
    }

    /// The value without surrounding spaces; nil when unset or blank (blank means "use the default").
    func text(_ key: ConfigurationKey) -> String? {
        guard
            let value = reader(for: key).string(forKey: ConfigKey(key.name), isSecret: key.isSecret)?
                .trimmingCharacters(in: .whitespaces),
            !value.isEmpty
        else { return nil }
        return value
    }

    /// The comma-separated entries, trimmed, without empty ones.
    func list(_ key: ConfigurationKey) -> [String] {
        (text(key) ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The value converted by `convert`, nil when unset; a conversion failure names the key.
    func read<Value>(
        _ key: ConfigurationKey, _ convert: (String) throws(InvalidConfigurationValue) -> Value
    ) throws(ConfigurationError) -> Value? {
        guard let text = text(key) else { return nil }
        do {
            return try convert(text)
        } catch {
            throw .invalid(key: key.environmentName, reason: error.reason)
        }
    }

    /// The value as a ``ConfigurationValue`` type, nil when unset.
    func read<Value: ConfigurationValue>(_ key: ConfigurationKey, as type: Value.Type) throws(ConfigurationError)
        -> Value?
    {
        try read(key) { text throws(InvalidConfigurationValue) in try Value(configurationText: text) }
    }

    /// `text`, a part of the value of `key` (one entry's ID), as a ``ConfigurationValue`` type; a failure
    /// names the key.
    func convert<Value: ConfigurationValue>(_ text: String, for key: ConfigurationKey, as type: Value.Type)
        throws(ConfigurationError) -> Value
    {
        do {
            return try Value(configurationText: text)
        } catch {
            throw .invalid(key: key.environmentName, reason: error.reason)
        }
    }

    /// Every entry converted by `convert`, in order; the first failure names the key.
    func readList<Value>(
        _ key: ConfigurationKey, _ convert: (String) throws(InvalidConfigurationValue) -> Value
    ) throws(ConfigurationError) -> [Value] {
        var values: [Value] = []
        for entry in list(key) {
            do {
                values.append(try convert(entry))
            } catch {
                throw .invalid(key: key.environmentName, reason: error.reason)
            }
        }
        return values
    }

    /// Every entry as a ``ConfigurationValue`` type.
    func readList<Value: ConfigurationValue>(_ key: ConfigurationKey, as type: Value.Type) throws(ConfigurationError)
        -> [Value]
    {
        try readList(key) { text throws(InvalidConfigurationValue) in try Value(configurationText: text) }
    }
}
