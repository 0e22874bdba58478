/// The app's Home tab: the standing explanation of what Debrief keeps and who sees what.
///
/// People check this page before deciding whether to trust the bot, so it is plain text from
/// `prompts/` that anyone can review, not something assembled in code.
public struct HomeTexts: Sendable, Equatable {
    public var header: String
    public var intro: String
    /// Label of the button that opens the reflection form.
    public var startButton: String
    public var sections: [HomeSection]

    public init(header: String, intro: String, startButton: String, sections: [HomeSection]) {
        self.header = header
        self.intro = intro
        self.startButton = startButton
        self.sections = sections
    }
}

/// One titled paragraph of the Home tab.
public struct HomeSection: Sendable, Equatable {
    public var title: String
    public var text: String

    public init(title: String, text: String) {
        self.title = title
        self.text = text
    }
}
