import DebriefServer
import Testing

/// `DEBRIEF_HABIT_INTERVAL`: the same length forms as `/reflect pause`, and a sentence naming the key and the
/// expected form when it is wrong.
@Suite("Habit configuration")
struct HabitConfigurationTests {
    @Test(
        "the interval defaults to every other week and reads 2w, 14d, 21",
        arguments: [
            (nil as String?, 14), ("2w", 14), ("14d", 14), ("21", 21), ("4W", 28),
        ])
    func accepted(text: String?, days: Int) async throws {
        let environment = text.map { ["DEBRIEF_HABIT_INTERVAL": $0] } ?? [:]
        let configuration = try await DebriefConfiguration.load(environment: environment)
        #expect(configuration.nudges.habitIntervalDays == days)
    }

    @Test(
        "a wrong interval stops the start with the key and the expected form",
        arguments: [
            "fortnight", "3d", "0w", "-2w", "27w", "2 w", "99999999999999999999d",
        ])
    func refused(text: String) async {
        do {
            _ = try await DebriefConfiguration.load(environment: ["DEBRIEF_HABIT_INTERVAL": text])
            Issue.record("DEBRIEF_HABIT_INTERVAL=\(text) was accepted")
        } catch {
            #expect(error.description.hasPrefix("configuration: DEBRIEF_HABIT_INTERVAL "), "\(error.description)")
            #expect(error.description.contains("such as `14d` or `2w`"), "\(error.description)")
        }
    }
}
