import DebriefSlack
import Foundation
import Testing

@Suite("Form decoding")
struct SlackFormDecoderTests {
    @Test func plusIsSpaceAndPercentEscapesDecode() {
        let fields = SlackFormDecoder.decode(Data("text=used+AI%20to+draft&command=%2Freflect&e=caf%C3%A9".utf8))
        #expect(fields["text"] == "used AI to draft")
        #expect(fields["command"] == "/reflect")
        #expect(fields["e"] == "café")
    }

    @Test func literalPlusSurvivesAsPercent2B() {
        #expect(SlackFormDecoder.decode(Data("t=1%2B1+%3D+2".utf8))["t"] == "1+1 = 2")
    }

    @Test func emptyAndValuelessFields() {
        let fields = SlackFormDecoder.decode(Data("a=&b&=c&&d=1".utf8))
        #expect(fields["a"] == "")
        #expect(fields["b"] == "")
        #expect(fields[""] == "c")
        #expect(fields["d"] == "1")
    }

    @Test func malformedEscapesAreKeptLiterally() {
        let fields = SlackFormDecoder.decode(Data("a=100%&b=%zz&c=%4&d=%41".utf8))
        #expect(fields["a"] == "100%")
        #expect(fields["b"] == "%zz")
        #expect(fields["c"] == "%4")
        #expect(fields["d"] == "A")
    }

    @Test func firstValueWinsForRepeatedNames() {
        #expect(SlackFormDecoder.decode(Data("a=1&a=2".utf8))["a"] == "1")
        #expect(SlackFormDecoder.value(of: "a", in: Data("b=0&a=1&a=2".utf8)) == "1")
        #expect(SlackFormDecoder.value(of: "z", in: Data("b=0".utf8)) == nil)
    }

    @Test func invalidUTF8BecomesReplacementCharacters() {
        let fields = SlackFormDecoder.decode(Data("a=%FF%FE".utf8))
        #expect(fields["a"] == "\u{FFFD}\u{FFFD}")
    }
}
