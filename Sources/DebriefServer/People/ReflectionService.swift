import DebriefCore
import DebriefStore
import Foundation

/// The platform-neutral use cases behind `/reflect`: what each command does to the store.
///
/// Slack (and later Teams) adapters decode their payloads into these calls and render the results; the
/// rules — who is created when, what a pause means, what erasure removes — live here once.
public struct ReflectionService: Sendable {
    let store: any Store
    let pseudonymizer: Pseudonymizer
    let now: @Sendable () -> Date
    let makeID: @Sendable () -> String

    public init(
        store: any Store, pseudonymizer: Pseudonymizer, now: @escaping @Sendable () -> Date,
        makeID: @escaping @Sendable () -> String = { UUID.systemRandom().lowercaseText }
    ) {
        self.store = store
        self.pseudonymizer = pseudonymizer
        self.now = now
        self.makeID = makeID
    }

    public func pseudonym(of user: PlatformUser) -> Pseudonym { pseudonymizer.pseudonym(for: user) }

    /// Stores `/reflect <text>` at once. The text is validated like the form's main field.
    public func recordQuickReflection(_ text: String, by user: PlatformUser) async throws -> Result<
        Reflection, ReflectionValidationErrors
    > {
        switch ReflectionDraft(text: text).validate() {
        case .failure(let errors):
            return .failure(errors)
        case .success(let fields):
            let reflection = Reflection(
                id: makeID(), person: pseudonym(of: user), createdAt: now(), source: .quick, text: fields.text)
            try await store.recordReflection(reflection, from: DeliveryAddress(user))
            return .success(reflection)
        }
    }

    /// Stores a submitted form; with `replacing`, the form adds details to that earlier reflection.
    public func submitForm(
        _ draft: ReflectionDraft, by user: PlatformUser, replacing reflectionID: String?, trainingID: String? = nil
    ) async throws -> Result<Reflection, ReflectionValidationErrors> {
        let fields: ValidReflectionFields
        switch draft.validate() {
        case .failure(let errors): return .failure(errors)
        case .success(let valid): fields = valid
        }
        let person = try await ensurePerson(user)
        var reflection = Reflection(
            id: makeID(), person: person, createdAt: now(), source: .modal, text: fields.text,
            taskCategory: fields.taskCategory, tool: fields.tool, outcome: fields.outcome,
            minutesSaved: fields.minutesSaved, confidence: fields.confidence, blockers: fields.blockers,
            consent: fields.consent, trainingID: trainingID)
        if let reflectionID, let existing = try await store.reflection(id: reflectionID, of: person) {
            reflection.id = existing.id
            reflection.createdAt = existing.createdAt
            reflection.trainingID = trainingID ?? existing.trainingID
            if try await store.replaceReflection(reflection) { return .success(reflection) }
        }
        // The earlier reflection is gone (erased meanwhile) or was never theirs: keep what they wrote.
        try await store.insertReflection(reflection)
        return .success(reflection)
    }

    /// The stored reflection as a form prefill, when it belongs to the user.
    public func draft(ofReflection reflectionID: String, by user: PlatformUser) async throws -> ReflectionDraft? {
        guard let reflection = try await store.reflection(id: reflectionID, of: pseudonym(of: user)) else {
            return nil
        }
        return ReflectionDraft(
            text: reflection.text, taskCategory: reflection.taskCategory?.rawValue, tool: reflection.tool,
            outcome: reflection.outcome?.rawValue, minutesSaved: reflection.minutesSaved?.rawValue,
            confidence: reflection.confidence.map(String.init), blockers: reflection.blockers.map(\.rawValue),
            consent: reflection.consent.rawValue)
    }

    public func export(of user: PlatformUser) async throws -> PersonExport? {
        try await store.exportPerson(pseudonym(of: user))
    }

    /// Erases the person and everything about them — also their id in queued participant resolutions, so a
    /// training registered before the erasure does not bring them back. Returns how many reflections were
    /// removed.
    @discardableResult
    public func forget(_ user: PlatformUser) async throws -> Int {
        try await store.erasePerson(pseudonym(of: user), address: DeliveryAddress(user))
    }

    /// Pauses nudges; returns the instant they resume. `pause until <date>` resumes at the start of that
    /// day in `zone` (the person's own zone when known, else the organisation's).
    public func pause(_ user: PlatformUser, for length: PauseLength, in zone: TimeZone) async throws -> Date {
        let until: Date
        switch length {
        case .days(let days):
            until = now().addingTimeInterval(Double(days) * 86_400)
        case .until(let year, let month, let day):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            until = calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? now()
        }
        try await updatePreferences(user) { $0.pausedUntil = until }
        return until
    }

    public func resume(_ user: PlatformUser) async throws {
        try await updatePreferences(user) {
            $0.pausedUntil = nil
            $0.stopped = false
        }
    }

    public func stop(_ user: PlatformUser) async throws {
        try await updatePreferences(user) { $0.stopped = true }
    }

    /// Today's calendar date in `zone`, for parsing `pause until`.
    public func today(in zone: TimeZone) -> (year: Int, month: Int, day: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: now())
        return (parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    private func ensurePerson(_ user: PlatformUser) async throws -> Pseudonym {
        let person = pseudonym(of: user)
        try await store.upsertPerson(DeliveryAddress(user), pseudonym: person, at: now())
        return person
    }

    private func updatePreferences(_ user: PlatformUser, _ change: (inout PersonPreferences) -> Void) async throws {
        let person = pseudonym(of: user)
        var preferences = try await store.upsertPerson(DeliveryAddress(user), pseudonym: person, at: now())
        change(&preferences)
        try await store.setPreferences(preferences, of: person)
    }
}
