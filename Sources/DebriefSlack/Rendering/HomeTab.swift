import DebriefCore
import DebriefPrompts

/// The app's Home tab: what Debrief keeps, who sees what, and the person's controls.
///
/// Published with `views.publish` on `app_home_opened`; it is the same for everyone, so it carries
/// nothing about the viewer.
public enum HomeTab {
    /// - Parameter includeStartButton: show a "Write a reflection" button with action id
    ///   ``SlackActionID/openForm``; the server must answer that action by opening ``ReflectionModal``.
    public static func view(prompts: PromptLibrary, includeStartButton: Bool = true) -> JSONValue {
        let home = prompts.home
        var blocks: [JSONValue] = [BlockKit.header(home.header), BlockKit.section(home.intro)]
        if includeStartButton {
            blocks.append(
                BlockKit.actions(
                    blockID: SlackBlockID.homeActions,
                    [
                        BlockKit.button(
                            text: home.startButton, actionID: SlackActionID.openForm, value: "home", style: .primary)
                    ]
                ))
        }
        for section in home.sections {
            blocks.append(BlockKit.divider)
            blocks.append(BlockKit.section("*" + section.title + "*\n" + section.text))
        }
        return ["type": "home", "blocks": .array(Array(blocks.prefix(BlockKit.Limit.blocksPerView)))]
    }
}
