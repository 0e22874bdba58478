import DebriefCore

/// Trainings and their nudges: which days are off, how often one person may be nudged, how large a training
/// may be.
public struct NudgeConfiguration: Sendable {
    public static let defaultMaximumPerWeek = 2
    public static let defaultMaximumParticipants = 100_000
    /// The largest value `DEBRIEF_MAX_PARTICIPANTS` accepts.
    public static let participantsCeiling = 1_000_000

    /// `DEBRIEF_HOLIDAYS`: days on which no nudge is sent (local calendar dates, `YYYY-MM-DD`).
    public var holidays: [String]
    /// `DEBRIEF_MAX_NUDGES_PER_WEEK`: at most this many nudges per person per calendar week, across all trainings.
    public var maximumPerWeek: Int
    /// `DEBRIEF_MAX_PARTICIPANTS`: the most people one training may have. Resolution and planning are linear,
    /// but a training of a million people is almost certainly a mistake (the whole workspace), and bounding it
    /// bounds the work.
    public var maximumParticipants: Int
    /// `DEBRIEF_HABIT_INTERVAL`: days between the recurring prompts of people who kept the habit after their
    /// last training (``HabitInterval``).
    public var habitIntervalDays: Int = HabitInterval.defaultDays

    public init(
        holidays: [String] = [], maximumPerWeek: Int = defaultMaximumPerWeek,
        maximumParticipants: Int = defaultMaximumParticipants
    ) {
        self.holidays = holidays
        self.maximumPerWeek = maximumPerWeek
        self.maximumParticipants = maximumParticipants
    }

    init(reading source: ConfigurationSource) throws(ConfigurationError) {
        self.init()
        holidays = try source.readList(.holidays) { text throws(InvalidConfigurationValue) in
            do throws(DateTimeInputError) {
                return try DateTimeInput.date(text).description
            } catch {
                throw InvalidConfigurationValue("entries " + error.reason)
            }
        }
        maximumPerWeek =
            try source.read(.maxNudgesPerWeek) { text throws(InvalidConfigurationValue) in
                try ConfigurationText.wholeNumber(text, in: 1...7, otherwise: "must be a whole number from 1 to 7")
            } ?? maximumPerWeek
        maximumParticipants =
            try source.read(.maxParticipants) { text throws(InvalidConfigurationValue) in
                // `Int(_:)`, unlike the other whole numbers: a leading `+` is accepted here, as it always was.
                guard let value = Int(text), (1...Self.participantsCeiling).contains(value) else {
                    throw InvalidConfigurationValue(
                        "must be a whole number of people from 1 to \(Self.participantsCeiling), got '\(text)'")
                }
                return value
            } ?? maximumParticipants
        habitIntervalDays =
            try source.read(.habitInterval) { text throws(InvalidConfigurationValue) in
                do throws(DayDuration.Failure) {
                    return try HabitInterval.parse(text)
                } catch {
                    throw InvalidConfigurationValue(
                        "must be a length from \(HabitInterval.minimumDays) to \(HabitState.maximumIntervalDays) days "
                            + "such as `14d` or `2w`, got '\(text)'")
                }
            } ?? habitIntervalDays
    }
}
