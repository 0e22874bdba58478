/// A value written in one configuration key, read strictly: a wrong value throws the reason.
///
/// The counterpart of swift-configuration's `ExpressibleByConfigString`, whose initializer can only fail
/// without saying why (and whose readers then fall back to the default); Debrief stops the start instead, with
/// a message naming the key and the expected form.
protocol ConfigurationValue {
    init(configurationText text: String) throws(InvalidConfigurationValue)
}

/// Why a configuration value was refused, worded to follow the key's name ("must be …").
struct InvalidConfigurationValue: Error, Sendable {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
