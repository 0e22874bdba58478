/// A Connector → bot token whose signature, issuer, audience and lifetime checked out. What is left depends on the
/// activity in the body, so the caller asks ``admits(channelID:serviceURL:)`` once it has decoded it.
public struct VerifiedBotToken: Sendable {
    /// The token's `serviceurl` claim: the Connector base URL it was minted for; nil when the token has none (such a
    /// token admits no activity).
    public let serviceURL: String?
    /// The channel ids the signing key is endorsed for (`msteams`, …), from the JWKS entry of the token's `kid`.
    public let endorsements: Set<String>
    let metrics: BotFrameworkAuthMetrics

    /// Whether this token may carry an activity with this `channelId` and `serviceUrl` (reference `teams.md` §2.2,
    /// checks 8 and 9):
    /// - the signing key must be endorsed for `channelID`. Stricter than Microsoft's SDK, a missing or empty
    ///   `channelId` is refused (Teams always sends `msteams`);
    /// - the token must have a `serviceurl` claim equal to `serviceURL`, compared exactly after stripping trailing
    ///   slashes (as Microsoft's Teams SDK does). Otherwise a token captured for one region could steer Debrief's
    ///   replies, with the bot's credentials, to another URL.
    ///
    /// Failures are counted in `debrief_teams_auth_failures_total`; the recommended answer is 403.
    public func admits(channelID: String?, serviceURL: String?) -> Result<Void, BotFrameworkAuthFailure> {
        let result = check(channelID: channelID, serviceURL: serviceURL)
        if case .failure(let failure) = result { metrics.record(failure) }
        return result
    }

    /// ``admits(channelID:serviceURL:)`` for a decoded activity.
    public func admits(_ activity: Activity) -> Result<Void, BotFrameworkAuthFailure> {
        admits(channelID: activity.channelId, serviceURL: activity.serviceUrl)
    }

    private func check(channelID: String?, serviceURL activityServiceURL: String?) -> Result<
        Void, BotFrameworkAuthFailure
    > {
        guard let channelID, !channelID.isEmpty, endorsements.contains(channelID) else {
            return .failure(.channelNotEndorsed)
        }
        guard let claimed = self.serviceURL else { return .failure(.missingServiceURL) }
        guard let activityServiceURL, !Self.trimmed(claimed).isEmpty,
            Self.trimmed(claimed) == Self.trimmed(activityServiceURL)
        else {
            return .failure(.serviceURLMismatch)
        }
        return .success(())
    }

    private static func trimmed(_ url: String) -> Substring {
        var url = Substring(url)
        while url.hasSuffix("/") { url = url.dropLast() }
        return url
    }
}
