/// The anonymity promise and the pseudonym key: what a digest may show, and what keys the pseudonyms.
public struct PrivacyConfiguration: Sendable {
    public static let defaultAnonymityThreshold = 5
    public static let defaultQuoteThreshold = 10
    /// `DEBRIEF_NOISE_EPSILON`: below 0.01 the noise drowns every count; above 100 there is none to speak of.
    public static let noiseEpsilons: ClosedRange<Double> = 0.01...100

    /// `DEBRIEF_PSEUDONYM_KEY`; nil means one generated once and kept in the database.
    /// - Important: a secret; never logged.
    public var pseudonymKey: String?
    /// `DEBRIEF_ANONYMITY_THRESHOLD`: k.
    public var anonymityThreshold: Int
    /// `DEBRIEF_QUOTE_THRESHOLD`: k for quotes; never below ``anonymityThreshold`` once read.
    public var quoteThreshold: Int
    /// `DEBRIEF_NOISE_EPSILON`: differential-privacy noise on digest counts; nil means none.
    public var noiseEpsilon: Double?

    public init(
        pseudonymKey: String? = nil, anonymityThreshold: Int = defaultAnonymityThreshold,
        quoteThreshold: Int = defaultQuoteThreshold, noiseEpsilon: Double? = nil
    ) {
        self.pseudonymKey = pseudonymKey
        self.anonymityThreshold = anonymityThreshold
        self.quoteThreshold = quoteThreshold
        self.noiseEpsilon = noiseEpsilon
    }

    init(reading source: ConfigurationSource) throws(ConfigurationError) {
        self.init()
        pseudonymKey = try source.read(.pseudonymKey) { text throws(InvalidConfigurationValue) in
            guard text.utf8.count >= 16 else { throw InvalidConfigurationValue("must be at least 16 characters long") }
            return text
        }
        anonymityThreshold =
            try source.read(.anonymityThreshold) { text throws(InvalidConfigurationValue) in
                try ConfigurationText.wholeNumber(text, in: 3..., otherwise: "must be a whole number of at least 3")
            } ?? anonymityThreshold
        let k = anonymityThreshold
        quoteThreshold =
            try source.read(.quoteThreshold) { text throws(InvalidConfigurationValue) in
                try ConfigurationText.wholeNumber(
                    text, in: k..., otherwise: "must be a whole number no smaller than the anonymity threshold")
            } ?? quoteThreshold
        quoteThreshold = max(quoteThreshold, anonymityThreshold)
        noiseEpsilon = try source.read(.noiseEpsilon) { text throws(InvalidConfigurationValue) in
            try ConfigurationText.number(
                text, in: Self.noiseEpsilons,
                otherwise: "must be a number from \(ConfigurationText.words(Self.noiseEpsilons)) "
                    + "(smaller is more noise), got '\(text)'")
        }
    }
}
