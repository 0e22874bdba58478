import Foundation

/// Everything about one participant that decides *when* they may be nudged.
///
/// - Important: this carries the pseudonym only. The platform user id is looked up at delivery time and must
///   never be added here, so plans and queued jobs stay pseudonymous.
public struct PersonCalendar: Sendable, Equatable, Codable {
    public var person: Pseudonym
    /// The person's IANA zone as the chat platform reports it; nil means the rules' default zone.
    public var timeZone: TimeZone?
    /// nil means the rules' default working hours.
    public var workingHours: WorkingHours?
    public var preferences: PersonPreferences
    /// The person asked to be forgotten (`/reflect forget`) or was removed; nothing may be sent any more.
    public var isErased: Bool

    public init(
        person: Pseudonym, timeZone: TimeZone? = nil, workingHours: WorkingHours? = nil,
        preferences: PersonPreferences = PersonPreferences(), isErased: Bool = false
    ) {
        self.person = person
        self.timeZone = timeZone
        self.workingHours = workingHours
        self.preferences = preferences
        self.isErased = isErased
    }
}
