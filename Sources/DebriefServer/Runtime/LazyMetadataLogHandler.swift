import Logging

/// A log handler that keeps a logger's metadata itself and hands it to `Base` only with a line that is written.
///
/// Why: swift-log's `StreamLogHandler` formats all of a logger's metadata again whenever one key is set, and
/// Hummingbird sets the request id on every request's logger, so every request paid for formatting (the id's text
/// included) that an `info`-level server never writes: about 1% of a `/reflect`'s CPU. Here setting a key only
/// stores it; a written line carries the logger's metadata merged with its own (its own winning), which is what
/// `Base` would have printed.
public struct LazyMetadataLogHandler<Base: LogHandler>: LogHandler {
    private var base: Base
    public var metadata: Logger.Metadata = [:]

    /// - Parameter base: the handler that writes; its own metadata should be empty (it is not consulted).
    public init(_ base: Base) {
        self.base = base
    }

    public var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        base.log(event: event)
    }
}
