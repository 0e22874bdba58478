import DebriefStore
import Foundation
import PropertyBased
import Testing

/// The stored day of a reflection (`created_on`), written without `String(format:)` on the `/reflect` path.
@Suite("Stored days")
struct StoredDayTests {
    @Test("a day is written YYYY-MM-DD, zero-padded like %04d-%02d-%02d, and reads back to its midnight")
    func writesAndReadsDays() async {
        await propertyCheck(count: 3_000, input: Gen<Int>.int(in: -800_000...2_900_000)) { days in
            let date = Date(timeIntervalSince1970: Double(days) * 86_400 + 3_600)
            let written = StoredDay.string(from: date)
            let (year, month, day) = StoredDay.civil(fromDays: days)
            #expect(written == String(format: "%04d-%02d-%02d", year, month, day))
            if year >= 0 {
                #expect(StoredDay.date(from: written) == Date(timeIntervalSince1970: Double(days) * 86_400))
            }
        }
        #expect(StoredDay.string(from: Date(timeIntervalSince1970: 1_795_424_400)) == "2026-11-23")
    }
}
