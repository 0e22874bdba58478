import DebriefCore
import Testing

/// Found by the `teams-configuration` fuzz target: fullwidth digits passed the GUID check.
@Suite("Teams identifiers")
struct TeamsIdentifierTests {
    @Test("an Entra object id or tenant id is a GUID of ASCII hex digits, in either case")
    func asciiGUIDs() {
        #expect(AdminCommand.isObjectID("72f988bf-86f1-41af-91ab-2d7cd011db47"))
        #expect(AdminCommand.isObjectID("72F988BF-86F1-41AF-91AB-2D7CD011DB47"))
    }

    @Test("fullwidth digits (as an IME types them) are not a GUID, so such a tenant or participant is refused at once")
    func fullwidthIsNoGUID() {
        #expect(!AdminCommand.isObjectID("７２ｆ９８８ｂｆ-８６ｆ１-４１ａｆ-９１ａｂ-２ｄ７ｃｄ０１１ｄｂ４７"))
        #expect(!AdminCommand.isObjectID("72f988bf-86f1-41af-91ab-2d7cd011db4７"))
        #expect(!AdminCommand.isObjectID("72f988bf-86f1-41af-91ab-2d7cd011db4"))
    }
}
