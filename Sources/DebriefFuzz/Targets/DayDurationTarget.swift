import DebriefCore

extension FuzzTarget {
    /// `/reflect pause <length>`: digits and a unit typed by anyone.
    static let dayDuration = FuzzTarget(
        name: "day-duration",
        summary: "DayDuration.parse with ordinary and extreme maximums"
    ) { input in
        let text = input.text
        for maximum in [365, 1, 0, Int.max] {
            do throws(DayDuration.Failure) {
                let days = try DayDuration.parse(text, maximumDays: maximum)
                FuzzExpect.that(days >= 1 && days <= maximum, "a length is 1…maximum days, not \(days)")
            } catch {
                if case .tooLong(let stated) = error {
                    FuzzExpect.that(stated == maximum, "a refusal states the maximum")
                }
            }
        }
    }
}
