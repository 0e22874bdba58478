import DebriefCore
import Foundation
import Testing

@Test func scratchPerformance() {
    var cells: [DigestFixtures.Cell] = []
    var generator = SeededGenerator(seed: 1)
    for team in 0..<400 {
        cells.append(.init(team: "T\(team)", role: .leader, respondents: Int.random(in: 0...2, using: &generator)))
        cells.append(.init(team: "T\(team)", role: .manager, respondents: Int.random(in: 1...4, using: &generator)))
        cells.append(.init(team: "T\(team)", role: .ic, respondents: Int.random(in: 1...25, using: &generator)))
    }
    cells = cells.filter { $0.respondents > 0 }
    let stats = DigestFixtures.steady(cells, history: 12)
    let start = Date()
    let document = DigestFixtures.build(DigestFixtures.input(.leadership, stats: stats))
    let middle = Date()
    for team in 0..<40 { _ = DigestFixtures.build(DigestFixtures.input(.team("T\(team)"), stats: stats)) }
    let singles = Date()
    var generator2 = SeededGenerator(seed: 3)
    let all = DigestBuilder.build([DigestFixtures.input(.leadership, stats: stats)] + (0..<400).map { DigestFixtures.input(.team("T\($0)"), stats: stats) }, random: &generator2)
    let end = Date()
    print("PERF 40 singles \(singles.timeIntervalSince(middle))s; batch of 401 \(end.timeIntervalSince(singles))s, quiet \(all.filter(\.isQuiet).count)")
    print("PERF leadership \(middle.timeIntervalSince(start))s, teams shown \(document.breakdown?.teams.count ?? -1)")
}
