import DebriefHTTP
import Foundation
import HTTPTypes

extension FuzzTarget {
    /// `Retry-After` on a 429 from Slack or anything in between (a proxy, a hostile gateway).
    static let retryAfter = FuzzTarget(
        name: "retry-after",
        summary: "RetryAfter.delay on header values, seconds and IMF-fixdate, at several clock readings"
    ) { input in
        let value = input.text
        for seconds in [0, 1_800_000_000, 253_402_300_799] as [TimeInterval] {
            let now = Date(timeIntervalSince1970: seconds)
            if let delay = RetryAfter.delay(fromHeaderValue: value, now: now) {
                FuzzExpect.that(delay >= .zero && delay <= RetryAfter.maximumDelay, "a delay is 0…1 h, not \(delay)")
            }
            var fields = HTTPFields()
            fields[.retryAfter] = value
            if let delay = RetryAfter.delay(in: fields, now: now) {
                FuzzExpect.that(delay >= .zero && delay <= RetryAfter.maximumDelay, "a delay is 0…1 h, not \(delay)")
            }
        }
    }
}
