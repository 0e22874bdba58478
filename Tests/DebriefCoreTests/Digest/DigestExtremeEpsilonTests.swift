import DebriefCore
import DebriefDigestSamples
import Foundation
import Testing

/// Numbers shown in a digest are converted with checked rounding: `Int(1e300 * 1000)` used to trap while the
/// footer was written (issue #9, class 1).
@Suite("Digests with extreme noise settings")
struct DigestExtremeEpsilonTests {
    @Test(
        "a huge ε builds a digest whose footer states it",
        arguments: [1e300, 1e16, 9.3e15, Double.greatestFiniteMagnitude])
    func hugeEpsilon(epsilon: Double) throws {
        var settings = PrivacySettings()
        settings.noiseEpsilon = epsilon
        let stats = DigestFixtures.steady(DigestDeterminismTests.bigOrg)
        let document = DigestFixtures.build(DigestFixtures.input(stats: stats, settings: settings))
        #expect(document.footer.noiseEpsilon == epsilon)
        #expect(document.footer.lines.contains { $0.contains("ε = ") })
        let html = DigestPage.html(document: document, title: "AI at work")
        #expect(html.contains("Counts include random noise"))
    }

    @Test("labels of any number never trap", arguments: [Double.nan, .infinity, -.infinity, 1e300, -1e300, 0.5, 4])
    func labels(value: Double) {
        #expect(!DigestLabels.epsilon(value).isEmpty)
        #expect(!DigestLabels.confidence(value).isEmpty)
    }
}
