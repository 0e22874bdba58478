import DebriefServer

extension FuzzTarget {
    /// `DEBRIEF_DIGEST_TIME` and per-target `@MON 08:30 America/New_York` schedules.
    static let digestSchedule = FuzzTarget(
        name: "digest-schedule",
        summary: "DigestSchedule.parse on weekly times with an optional zone"
    ) { input in
        guard let schedule = try? DigestSchedule.parse(input.text) else { return }
        FuzzExpect.that((1...7).contains(schedule.weekday), "a weekday is 1…7")
        FuzzExpect.that((0...23).contains(schedule.hour) && (0...59).contains(schedule.minute), "a time is 00:00…23:59")
    }
}
