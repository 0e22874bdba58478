import DebriefCore
import DebriefPrompts
import DebriefSlack
import Foundation
import Testing

@Test func digestScratchDump() throws {
    let templates = try DigestTemplates.load(from: RepositoryPrompts.directory)
    var out = ""
    for document in [DigestSamples.leadership, DigestSamples.team, DigestSamples.quiet] {
        let texts = templates.render(document, link: "https://x/digests/1?sig=1.a")
        out += "=== MAIN\n" + texts.main + "\n=== DETAILS\n" + texts.details + "\n\n"
        out += String(decoding: DigestMessage.main(texts: texts, document: document, link: "https://x/d").encoded(), as: UTF8.self) + "\n"
    }
    try Data(out.utf8).write(to: URL(fileURLWithPath: "/tmp/digest-dump.txt"))
    try Data(DigestPage.html(document: DigestSamples.leadership, title: "AI at work — Acme").utf8).write(to: URL(fileURLWithPath: "/tmp/digest-leadership.html"))
    try Data(DigestPage.html(document: DigestSamples.team, title: "AI at work — Acme").utf8).write(to: URL(fileURLWithPath: "/tmp/digest-team.html"))
}
