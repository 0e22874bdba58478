import DebriefPrompts
import Yams

/// Parses `teams/welcome.yaml`: the card sent on installation, shaped like Slack's Home tab.
enum TeamsWelcomeFileParser {
    static func parse(_ root: Node.Mapping?, reader: PromptFileReader) -> HomeTexts {
        if let root { reader.checkKeys(root, path: nil, allowed: ["header", "intro", "start_button", "sections"]) }
        let header = reader.text(root, "header", path: nil, limit: TeamsTextLimits.title)
        let intro = reader.text(root, "intro", path: nil, limit: TeamsTextLimits.message)
        let startButton = reader.text(root, "start_button", path: nil, limit: TeamsTextLimits.button)
        var sections: [HomeSection] = []
        if let items = reader.list(root, "sections", path: nil) {
            let line = root.flatMap { PromptFileReader.value($0, "sections") }?.mark?.line
            if items.isEmpty { reader.record(line: line, key: "sections", "is empty; add at least one section") }
            if items.count > TeamsTextLimits.welcomeSections {
                reader.record(
                    line: line, key: "sections",
                    "has \(items.count) sections; keep it to at most \(TeamsTextLimits.welcomeSections)")
            }
            for (index, item) in items.enumerated() {
                let path = "sections[\(index)]"
                guard let mapping = item.mapping else {
                    reader.record(line: item.mark?.line, key: path, "should have a `title:` and a `text:`")
                    continue
                }
                reader.checkKeys(mapping, path: path, allowed: ["title", "text"])
                let title = reader.text(mapping, "title", path: path, limit: TeamsTextLimits.title)
                let text = reader.text(mapping, "text", path: path, limit: TeamsTextLimits.message)
                sections.append(HomeSection(title: title ?? "", text: text ?? ""))
            }
        }
        return HomeTexts(header: header ?? "", intro: intro ?? "", startButton: startButton ?? "", sections: sections)
    }
}
