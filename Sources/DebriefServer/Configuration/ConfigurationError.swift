/// A configuration mistake, naming the key as the operator would set it (environment variable name).
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing(key: String, hint: String)
    case invalid(key: String, reason: String)
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let key, let hint): "configuration: \(key) is required: \(hint)"
        case .invalid(let key, let reason): "configuration: \(key) \(reason)"
        case .unreadableFile(let path, let reason): "configuration: cannot read config file \(path): \(reason)"
        }
    }
}
