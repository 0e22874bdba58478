import DebriefCore
import Foundation

extension FuzzTarget {
    /// Every date, time, offset and zone people type: `ended:`/`ended_at`, `pause until`, the configuration.
    static let dateTime = FuzzTarget(
        name: "date-time",
        summary: "DateTimeInput.date/dateTime/instant/timeZone/weeklyTime and their error sentences"
    ) { input in
        let text = input.text
        do throws(DateTimeInputError) {
            let date = try DateTimeInput.date(text)
            FuzzExpect.that(date.description == text, "a date is read only in the form it is written back")
        } catch {
            explain(error)
        }
        do throws(DateTimeInputError) {
            let written = try DateTimeInput.dateTime(text)
            // Documented: the description is the canonical form, which reads back to the same value.
            FuzzExpect.that(
                (try? DateTimeInput.dateTime(written.description)) == written, "a date and time round-trips")
            for zone in FuzzZones.all {
                FuzzExpect.that(written.instant(in: zone).timeIntervalSince1970.isFinite, "an instant is finite")
            }
        } catch {
            explain(error)
        }
        do throws(DateTimeInputError) {
            let instant = try DateTimeInput.instant(text)
            FuzzExpect.that(instant.timeIntervalSince1970.isFinite, "an instant is finite")
        } catch {
            explain(error)
        }
        do throws(DateTimeInputError) {
            _ = try DateTimeInput.timeZone(text)
        } catch {
            explain(error)
        }
        do throws(DateTimeInputError) {
            let weekly = try DateTimeInput.weeklyTime(text)
            FuzzExpect.that(weekly.time.secondsSinceMidnight < 86_400, "a weekly time is within the day")
        } catch {
            explain(error)
        }
    }

    /// The sentence every refusal becomes; echoes of the input are cut short.
    private static func explain(_ error: DateTimeInputError) {
        let message = error.message(field: "`ended_at`")
        FuzzExpect.that(message.hasPrefix("`ended_at` must be "), "a refusal names the field first")
        FuzzExpect.that(message.count < 600, "a refusal stays short whatever was typed (\(message.count) characters)")
    }
}
