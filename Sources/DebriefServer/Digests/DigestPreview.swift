import DebriefCore
import DebriefPrompts
import DebriefStore
import Foundation

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
        let scope: DigestTarget.Scope
        if target == "leadership" {
            scope = .leadership
        } else if target.hasPrefix("team:"), target.count > 5 {
            scope = .team(String(target.dropFirst(5)))
        } else {
            throw PreviewError.badTarget(target)
        }
        let store = try configuration.database.openStore()
        try await store.migrate()
        let directory = try PromptLocation.resolve(configuration.promptsDirectory)
        let service = DigestService(
            store: store, templates: try DigestTemplates.load(from: directory),
            settings: PrivacySettings(
                k: configuration.anonymityThreshold, kQuotes: configuration.quoteThreshold,
                noiseEpsilon: configuration.noiseEpsilon),
            linkSecret: configuration.digestLinkSecret ?? "digest-links:" + (configuration.pseudonymKey ?? "preview"),
            publicURL: { configuration.publicURL ?? "http://\(configuration.host):\(configuration.port)" })
        // The command line does not read the Slack directory, so free text is left out (it could not be
        // scrubbed of colleagues' names); `/debrief digest preview` in Slack shows it.
        let document = try await service.document(for: scope, week: weekKey, names: nil, now: now)
        let texts = service.templates.render(document, link: "(link to the digest page)")
        let body = texts.details.isEmpty ? texts.main : texts.main + "\n\n--- thread reply ---\n" + texts.details
        return body + "\n\n(Quotes and leaders' notes are not shown in a command-line preview: they need the Slack "
            + "directory to remove colleagues' names. Use `/debrief digest preview` in Slack to see them.)"
    }
}
