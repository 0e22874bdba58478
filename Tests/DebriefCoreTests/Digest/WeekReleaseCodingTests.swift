import DebriefCore
import Foundation
import Testing

/// The digest computation uses the release it made itself when the store kept its bytes, and decodes only a
/// release another replica stored first; next week's trends decode the stored bytes. Both are the same release
/// only if a release round-trips through its stored JSON exactly — shares, medians, intervals and noise included.
@Suite("A week's release round-trips through its stored form")
struct WeekReleaseCodingTests {
    /// 2–6 teams of every role with 0–40 respondents, some cells with nobody answering yes or everybody, with
    /// and without noise, with cohorts.
    static func release(seed: UInt64) -> WeekRelease {
        var random = SeededGenerator(seed: seed)
        var cells: [DigestFixtures.Cell] = []
        var roster: [WeekRoster.Cell] = []
        for team in (0..<Int.random(in: 2...6, using: &random)).map({ "Team \($0)" }) {
            for role in [RoleLevel.leader, .manager, .ic] {
                let respondents = Int.random(in: 0...40, using: &random)
                let difference = Int.random(in: 0...respondents, using: &random)
                cells.append(
                    DigestFixtures.Cell(team: team, role: role, respondents: respondents, difference: difference))
                roster.append(
                    WeekRoster.Cell(
                        team: team, role: role, people: respondents + Int.random(in: 0...10, using: &random)))
            }
        }
        let cohorts = (0..<3).map { index in
            let participants = Int.random(in: 3...80, using: &random)
            let reflected = Int.random(in: 0...participants, using: &random)
            let applied = Int.random(in: 0...reflected, using: &random)
            return TrainingCohortStats(
                trainingID: "t\(index)", title: "Prompting \(index) — für alle", participants: participants,
                reflected: reflected, applied: applied, repeated: Int.random(in: 0...applied, using: &random))
        }
        let epsilon: Double? = seed.isMultiple(of: 2) ? nil : 0.5 + Double(seed) / 7
        return DigestBuilder.release(
            week: DigestFixtures.week, stats: DigestFixtures.groups(cells), roster: WeekRoster(cells: roster),
            cohorts: cohorts, previous: nil, settings: PrivacySettings(k: 5, kQuotes: 10, noiseEpsilon: epsilon),
            seed: seed)
    }

    @Test("decoding the stored bytes gives the release that was stored", arguments: Array(UInt64(1)...20))
    func roundTrip(seed: UInt64) throws {
        let release = Self.release(seed: seed)
        #expect(release.groups.contains { $0.visibility == .shown }, "something is published")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(release)
        #expect(try JSONDecoder().decode(WeekRelease.self, from: data) == release)
    }
}
