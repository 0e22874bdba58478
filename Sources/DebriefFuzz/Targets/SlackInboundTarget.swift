import DebriefCore
import DebriefSlack
import Foundation

extension FuzzTarget {
    /// A verified inbound body (the signature only proves it came from Slack; its shape is still untrusted).
    static let slackInbound = FuzzTarget(
        name: "slack-inbound",
        summary: "SlackInboundDecoder.decode on form and JSON bodies: commands, interactions, events"
    ) { input in
        let body = input.data
        for contentType in [
            nil, "application/json", "application/x-www-form-urlencoded", "application/JSON; charset=utf-8",
        ] {
            do throws(SlackPayloadError) {
                let payload = try SlackInboundDecoder.decode(body: body, contentType: contentType)
                FuzzExpect.that(!payload.kindLabel.isEmpty, "a decoded payload has a kind for the metrics")
                SlackPayloadFollowUp.handle(payload)
            } catch {
                // Reasons go into logs: one short line that never quotes the body.
                let reason = error.description
                FuzzExpect.that(!reason.isEmpty && !reason.contains("\n"), "a payload error is one line")
            }
        }
    }
}

/// The pure steps `SlackEndpoint` takes on a decoded payload before it reaches the store.
enum SlackPayloadFollowUp {
    static func handle(_ payload: SlackInboundPayload) {
        switch payload {
        case .viewSubmission(let submission):
            let draft = ReflectionModal.draft(from: submission)
            _ = draft.validate()
            if let id = ReflectionModal.reflectionID(fromPrivateMetadata: submission.privateMetadata) {
                FuzzExpect.that(
                    !id.isEmpty && id.utf8.count <= 200, "a reflection id from metadata is short and not empty")
            }
        case .blockActions(let actions):
            for action in actions.actions {
                _ = action.actionID
                _ = action.value
            }
        case .slashCommand(let command):
            FuzzExpect.that(!command.command.isEmpty && !command.userID.isEmpty, "a slash command names who and what")
        case .eventCallback(let callback):
            FuzzExpect.that(!callback.eventID.isEmpty, "an event has an id to dedupe on")
            _ = callback.event.typeName
        case .sslCheck, .urlVerification, .viewClosed, .appRateLimited:
            break
        }
    }
}
