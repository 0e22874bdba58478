import DebriefCore
import DebriefHTTP
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation
import Logging

/// `debrief digest preview`: what would be posted for a target and week, as text, without posting.
public enum DigestPreview {
    public enum PreviewError: Error, CustomStringConvertible {
        case badWeek(String)
        case badTarget(String)

        public var description: String {
            switch self {
            case .badWeek(let week): "'\(week)' is not an ISO week like 2026-W47"
            case .badTarget(let target): "'\(target)' is not a target: use `leadership` or `team:<name>`"
            }
        }
    }

    /// Renders the digest text for `target` (`leadership` or `team:<name>`) and `week` (`2026-W47`).
    public static func render(
        configuration: DebriefConfiguration, target: String, week: String, now: Date = Date()
    ) async throws -> String {
        guard let weekKey = WeekKey(week) else { throw PreviewError.badWeek(week) }
        guard let scope = DigestTarget.Scope(key: target) else { throw PreviewError.badTarget(target) }
        let store = try configuration.openStore()
        try await store.migrate()
        let directory = try PromptLocation.resolve(configuration.promptsDirectory)
        // The same secret the server derives its digest seed from, so the preview shows the same quotes.
        let pseudonymKey = try await store.pseudonymKey()
        let service = DigestService(
            store: store, templates: try DigestTemplates.load(from: directory),
            settings: PrivacySettings(
                k: configuration.anonymityThreshold, kQuotes: configuration.quoteThreshold,
                noiseEpsilon: configuration.noiseEpsilon),
            linkSecret: configuration.digestLinkSecret ?? "digest-links:" + pseudonymKey,
            publicURL: { configuration.publicURL ?? "http://\(configuration.host):\(configuration.port)" })
        // Quotes and leaders' notes need the workspace directory (to scrub colleagues' names, to name
        // leaders): read it when Slack is configured, otherwise leave free text out and say so.
        var names: DigestNames?
        if let slack = configuration.slack {
            var logger = Logger(label: "debrief.preview")
            logger.logLevel = .critical
            let http = CurlHTTPClient(logger: logger)
            let api = SlackWebAPIClient(
                http: http, baseURL: configuration.slackAPIURL, token: slack.botToken, logger: logger)
            names = await DigestDirectory(api: api).fresh()
            await http.shutdown()
        }
        let currentWeek = WeekKey(containing: now, in: configuration.organisationTimeZone)
        let document = try await service.publishedDocument(
            for: scope, week: weekKey, currentWeek: currentWeek, names: names, now: now)
        let texts = service.templates.render(document, link: "(link to the digest page)")
        let body = texts.details.isEmpty ? texts.main : texts.main + "\n\n--- thread reply ---\n" + texts.details
        guard names == nil else { return body }
        let reason = configuration.slack == nil ? "Slack is not configured" : "the Slack directory could not be read"
        return body + "\n\n(Quotes and leaders' notes are left out of this preview: \(reason), and they need the "
            + "workspace directory to remove colleagues' names.)"
    }
}
