import DebriefCore

/// The template values of issue #13's sections: leaders' responses ("You said, we did") and loop closure.
enum LoopTemplateContext {
    static func add(
        _ document: DigestDocument, to context: inout [String: DigestTemplateContext.Value],
        present: inout [DigestSectionKind]
    ) {
        if let responses = document.youSaidWeDid?.responses, !responses.isEmpty {
            context["you_said_we_did"] = .list(
                responses.map {
                    [
                        "name": .text($0.displayName), "text": .text($0.text),
                        "themes": .text($0.themes.map(\.label).joined(separator: " · ")),
                        "answered_week": .text(DigestLabels.week($0.answeredWeek)),
                    ]
                })
            present.append(.youSaidWeDid)
        }
        if let closure = document.loopClosure {
            context["loop_closure"] = .object([
                "answered": .text(String(closure.answeredInTime)),
                "published": .text(String(closure.publishedBlockers)),
                "percent": .text("\(closure.percent)%"),
                "weeks": .text(String(closure.weeks.count)),
                "open": .list(
                    closure.open.map {
                        [
                            "label": .text(DigestLabels.blocker($0.blocker)),
                            "week": .text(DigestLabels.shortWeek($0.week)), "closed": .flag($0.windowClosed),
                        ]
                    }),
            ])
            present.append(.loopClosure)
        }
    }
}
