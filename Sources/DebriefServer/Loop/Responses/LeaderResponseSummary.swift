import DebriefCore
import DebriefStore

/// `/reflect mine`: the person's responses to leadership digests, after their reflections.
enum LeaderResponseSummary {
    static func lines(_ responses: [LeaderResponse]) -> [String] {
        guard !responses.isEmpty else { return [] }
        return ["Responses to leadership digests: \(responses.count)"]
            + responses.map { response in
                "• \(PersonDates.isoDay(response.createdAt)), answering \(response.week) for "
                    + "\(response.audience.label) (\(response.themes.map(\.label).joined(separator: "; "))): "
                    + response.text
            }
    }
}
