import DebriefCore
import DebriefPrompts
import DebriefServer
import Foundation

extension FuzzTarget {
    /// Job parameters read back from the `jobs` table when a worker claims a job.
    static let jobParameters = FuzzTarget(
        name: "job-parameters",
        summary: "stored job parameters of every job kind, decoded as the worker does"
    ) { input in
        for kind in ServerDecoders.jobKinds {
            _ = ServerDecoders.jobParametersUsable(kind: kind, parameters: input.data)
        }
    }

    /// A stored week release: later weeks' trends and every digest of the week read it back.
    static let weekRelease = FuzzTarget(
        name: "week-release",
        summary: "stored WeekRelease JSON, decoded and used for the next week's release and a digest"
    ) { input in
        guard let release = ServerDecoders.weekRelease(input.data) else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let encoded = try? encoder.encode(release) {
            FuzzExpect.that(ServerDecoders.weekRelease(encoded) == release, "a stored release reads back as written")
        }
        let next = release.week.adding(weeks: 1)
        _ = DigestBuilder.release(
            week: next, stats: [:], roster: release.roster, cohorts: nil, previous: release,
            settings: PrivacySettings(), seed: 7)
        let input = DigestInput(
            audience: .leadership, week: release.week, stats: [:], releases: [release.week: release])
        let document = DigestBuilder.build([input], seed: 7)
        for page in document { _ = DigestPage.html(document: page, title: "Fuzz") }
    }

    /// A stored digest document: the digest page, the post and the preview render it.
    static let digestDocument = FuzzTarget(
        name: "digest-document",
        summary: "stored DigestDocument JSON, decoded and rendered as the digest page and the Slack texts"
    ) { input in
        guard let document = ServerDecoders.digestDocument(input.data) else { return }
        _ = DigestPage.html(document: document, title: "Fuzz")
        if let templates = FuzzPrompts.digestTemplates {
            _ = templates.render(document, link: "https://debrief.example/digests/x")
        }
    }
}
