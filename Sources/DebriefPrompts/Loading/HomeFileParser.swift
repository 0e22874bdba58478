import Yams

/// Parses `slack/home.yaml`: the Home tab.
enum HomeFileParser {
    static func parse(_ root: Node.Mapping?, reader: PromptFileReader) -> HomeTexts {
        if let root { reader.checkKeys(root, path: nil, allowed: ["header", "intro", "start_button", "sections"]) }
        let header = reader.text(root, "header", path: nil, limit: PromptLimits.header)
        let intro = reader.text(root, "intro", path: nil, limit: PromptLimits.sectionText)
        let startButton = reader.text(root, "start_button", path: nil, limit: PromptLimits.buttonText)
        var sections: [HomeSection] = []
        if let items = reader.list(root, "sections", path: nil) {
            if items.isEmpty {
                reader.record(
                    line: root.flatMap { PromptFileReader.value($0, "sections") }?.mark?.line, key: "sections",
                    "is empty; add at least one section")
            }
            if items.count > PromptLimits.homeSections {
                reader.record(
                    line: root.flatMap { PromptFileReader.value($0, "sections") }?.mark?.line, key: "sections",
                    "has \(items.count) sections; keep it to at most \(PromptLimits.homeSections)")
            }
            for (index, item) in items.enumerated() {
                let path = "sections[\(index)]"
                guard let mapping = item.mapping else {
                    reader.record(line: item.mark?.line, key: path, "should have a `title:` and a `text:`")
                    continue
                }
                reader.checkKeys(mapping, path: path, allowed: ["title", "text"])
                let title = reader.text(mapping, "title", path: path, limit: PromptLimits.header)
                let text = reader.text(mapping, "text", path: path, limit: PromptLimits.sectionText)
                sections.append(HomeSection(title: title ?? "", text: text ?? ""))
            }
        }
        return HomeTexts(header: header ?? "", intro: intro ?? "", startButton: startButton ?? "", sections: sections)
    }
}
