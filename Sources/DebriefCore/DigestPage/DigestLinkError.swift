/// Why a digest page link was refused.
///
/// The digest page is served to whoever holds the link, so a link that fails verification gets a 403
/// and one of these plain-language explanations instead of the page. The explanations say what happened
/// and what to do; they never echo the link, the signature or the digest's content.
public enum DigestLinkError: Error, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// The `sig` value is missing, cut short or not in the `<expiry>.<signature>` shape Debrief writes.
    case malformed
    /// The signature is genuine but the link's lifetime has passed.
    case expired
    /// The signature does not match the digest id and expiry: the link was changed or signed with another key.
    case invalidSignature

    /// A sentence or two for the person who opened the link, safe to show on the 403 page.
    public var explanation: String {
        switch self {
        case .malformed:
            return "This digest link is incomplete. It may have been cut off when it was copied."
                + " Open the digest again from the button in the Slack message."
        case .expired:
            return "This digest link has expired. Links to digest pages stop working after a while so that"
                + " old links passed around do not keep showing the page. The digest itself is still in the"
                + " Slack channel where it was posted."
        case .invalidSignature:
            return "This digest link is not valid. It was changed after it was sent, or it was made by"
                + " another Debrief installation. Open the digest again from the button in the Slack message."
        }
    }

    public var description: String {
        switch self {
        case .malformed: return "malformed digest link signature"
        case .expired: return "expired digest link"
        case .invalidSignature: return "invalid digest link signature"
        }
    }
}
