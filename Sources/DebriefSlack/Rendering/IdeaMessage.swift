import DebriefCore
import DebriefPrompts
import Foundation

/// `/reflect ideas [topic]` drawn in Block Kit: one section per colleague's example with its details and a
/// "Useful" button (action id ``SlackActionID/ideaUseful``, the reflection id as value), or the sentence saying
/// why there is none.
///
/// Example texts come from people: they are escaped for mrkdwn and cut to Slack's limits.
public enum IdeaMessage {
    public static func draw(_ answer: IdeaAnswer?, options: OptionTexts) -> JSONValue {
        guard let answer else { return sentence(IdeaWording.notConfigured) }
        switch answer {
        case .examples(let examples, let topic, let fromEarlierWeeks):
            var blocks: [JSONValue] = [BlockKit.header(IdeaWording.heading(topic: topic))]
            if fromEarlierWeeks { blocks.append(BlockKit.context(IdeaWording.earlierWeeks)) }
            for example in examples.prefix(IdeaLibrary.maximumExamples) {
                let text = BlockKit.truncate(BlockKit.escape(example.text), to: 2_500)
                let details = IdeaWording.details(
                    example, category: options.label(_:), outcome: options.label(_:), minutes: options.label(_:))
                blocks.append(BlockKit.divider)
                blocks.append(BlockKit.section("> " + text.replacingOccurrences(of: "\n", with: "\n> ")))
                blocks.append(BlockKit.context(BlockKit.escape(details)))
                blocks.append(
                    BlockKit.actions(
                        blockID: SlackBlockID.ideaActions + "_" + String(example.id.prefix(200)),
                        [
                            BlockKit.button(
                                text: IdeaWording.usefulButton, actionID: SlackActionID.ideaUseful, value: example.id)
                        ]))
            }
            blocks.append(BlockKit.divider)
            blocks.append(BlockKit.context(IdeaWording.privacyNote))
            return BlockKit.ephemeral(text: IdeaWording.heading(topic: topic), blocks: blocks)
        case .noMatch(let topic): return sentence(IdeaWording.noMatch(topic: BlockKit.escape(topic)))
        case .unsearchable: return sentence(IdeaWording.unsearchable)
        case .empty: return sentence(IdeaWording.empty)
        case .notYet(let missing, let threshold):
            return sentence(IdeaWording.notYet(missing: missing, quoteThreshold: threshold))
        case .withheld: return sentence(IdeaWording.withheld)
        }
    }

    /// A one-sentence ephemeral answer (also the reply to a "Useful" click, which leaves the list in place).
    public static func sentence(_ text: String) -> JSONValue {
        var message = BlockKit.ephemeral(text: text, blocks: [BlockKit.section(text)])
        if case .object(var object) = message {
            object["replace_original"] = false
            message = .object(object)
        }
        return message
    }
}
