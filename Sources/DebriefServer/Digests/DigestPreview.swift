import DebriefCore
import DebriefHTTP
import DebriefPlatform
import DebriefPrompts
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
        var logger = Logger(label: "debrief.preview")
        logger.logLevel = .critical
        let http = CurlHTTPClient(logger: logger)
        do {
            let runtime = try await DebriefRuntime.open(configuration, httpClient: http, now: { now }, logger: logger)
            let text = try await render(runtime: runtime, scope: scope, week: weekKey, now: now)
            await http.shutdown()
            return text
        } catch {
            await http.shutdown()
            throw error
        }
    }

    static func render(runtime: DebriefRuntime, scope: DigestTarget.Scope, week weekKey: WeekKey, now: Date)
        async throws -> String
    {
        let configuration = runtime.configuration
        // The same secret the server derives its digest seed from, so the preview shows the same quotes.
        let service = runtime.digestService(publicURL: {
            configuration.digests.publicURL ?? "http://\(configuration.http.host):\(configuration.http.port)"
        })
        // Quotes and leaders' notes need the directory (to scrub colleagues' names, to name leaders): read it
        // when a platform is configured, otherwise leave free text out and say so.
        let platforms = runtime.platforms.all
        let names = platforms.isEmpty ? nil : await DirectoryCache(platforms: platforms).fresh()
        let currentWeek = WeekKey(containing: now, in: configuration.organisationTimeZone)
        let document = try await service.publishedDocument(
            for: scope, week: weekKey, currentWeek: currentWeek, names: names, now: now)
        // Written as the first platform writes it; without one, as the templates write it (Slack's mrkdwn).
        let delivery = DigestDelivery(digestID: "", document: document, link: "(link to the digest page)")
        let body =
            (platforms.first?.digestTexts(delivery) ?? runtime.digestTemplates.render(document, link: delivery.link))
            .preview
        guard names == nil else { return body }
        let reason =
            configuration.slack.credentials == nil ? "Slack is not configured" : "the Slack directory could not be read"
        return body + "\n\n(Quotes and leaders' notes are left out of this preview: \(reason), and they need the "
            + "workspace directory to remove colleagues' names.)"
    }
}
