import Foundation

/// What a person told Debrief about being contacted.
public struct PersonPreferences: Sendable, Equatable, Codable {
    /// No nudges before this instant.
    public var pausedUntil: Date?
    /// The person asked never to be nudged again (`/reflect stop`); they can still reflect on their own.
    public var stopped: Bool

    public init(pausedUntil: Date? = nil, stopped: Bool = false) {
        self.pausedUntil = pausedUntil
        self.stopped = stopped
    }
}
