import DebriefCore
import DebriefTeams
import Foundation
import Testing

@Suite("Decoding what a Teams card sends back")
struct TeamsCardActionTests {
    func activity(_ json: String) throws -> Activity {
        try JSONDecoder().decode(Activity.self, from: Data(json.utf8))
    }

    @Test("an Action.Execute invoke (adaptiveCard/action) with the form's inputs decodes to a submission")
    func executeInvoke() throws {
        let invoke = try activity(
            """
            {"type":"invoke","name":"adaptiveCard/action","id":"f:4761b2c8","channelId":"msteams",
             "serviceUrl":"https://smba.trafficmanager.net/emea/","timestamp":"2026-12-07T09:12:03.411Z",
             "from":{"id":"29:1XJKJMvc","name":"Megan Bowen","aadObjectId":"7faf8ab2-0000-0000-0000-000000000001"},
             "conversation":{"conversationType":"personal","tenantId":"tenant-1","id":"a:17I0kl"},
             "recipient":{"id":"28:app-id","name":"Debrief"},"replyToId":"1:1dX3dN2",
             "value":{"action":{"type":"Action.Execute","id":"save","verb":"reflection.submit",
               "data":{"debrief_verb":"reflection.submit","nudge_id":"nudge_42","text":"Turned notes into a draft",
                       "task_category":"drafting","tool":"","outcome":"saved_time","minutes_saved":"16-30",
                       "confidence":"4","blockers":"policy_unclear,no_time","consent":"anonymous_quote"}},
               "trigger":"manual"},
             "channelData":{"tenant":{"id":"tenant-1"},"source":{"name":"message"}},"locale":"en-GB"}
            """)
        let expected = ReflectionDraft(
            text: "Turned notes into a draft", taskCategory: "drafting", tool: nil, outcome: "saved_time",
            minutesSaved: "16-30", confidence: "4", blockers: ["policy_unclear", "no_time"], consent: "anonymous_quote")
        #expect(
            TeamsCardAction.decode(invoke)
                == .success(.submitReflection(expected, nudgeID: "nudge_42", replacingReflectionID: nil)))
    }

    @Test("nudge buttons decode from both the invoke and the Action.Submit message")
    func nudgeButtons() throws {
        for (verb, expected) in [
            ("nudge.reflect", TeamsCardAction.reflect(nudgeID: "n_1")), ("nudge.snooze", .snooze(nudgeID: "n_1")),
            ("nudge.skip", .skip(nudgeID: "n_1")),
        ] {
            let invoke = try activity(
                #"{"type":"invoke","name":"adaptiveCard/action","value":{"action":{"type":"Action.Execute","verb":"\#(verb)","data":{"debrief_verb":"\#(verb)","nudge_id":"n_1"}},"trigger":"manual"}}"#
            )
            #expect(TeamsCardAction.decode(invoke) == .success(expected))
            let submit = try activity(
                #"{"type":"message","id":"1:abc","replyToId":"1:nudge","channelData":{"tenant":{"id":"t"}},"value":{"debrief_verb":"\#(verb)","nudge_id":"n_1"}}"#
            )
            #expect(TeamsCardAction.decode(submit) == .success(expected))
        }
    }

    @Test("forget, add details and write a reflection decode")
    func otherVerbs() {
        #expect(TeamsCardAction.decode(submitValue: ["debrief_verb": "forget.confirm"]) == .success(.confirmForget))
        #expect(TeamsCardAction.decode(submitValue: ["debrief_verb": "forget.cancel"]) == .success(.cancelForget))
        #expect(
            TeamsCardAction.decode(submitValue: ["debrief_verb": "reflection.open", "reflection_id": "r_1"])
                == .success(.openForm(reflectionID: "r_1")))
        #expect(
            TeamsCardAction.decode(invokeValue: ["action": ["type": "Action.Execute", "verb": "reflection.open"]])
                == .success(.openForm(reflectionID: nil)))
    }

    @Test("a submission edits a stored reflection and accepts a multi-select sent as a list")
    func replacing() {
        let value: JSONValue = [
            "debrief_verb": "reflection.submit", "reflection_id": "r_7", "text": "x y z", "blockers": ["skills"],
            "consent": "aggregate_only",
        ]
        #expect(
            TeamsCardAction.decode(submitValue: value)
                == .success(
                    .submitReflection(
                        ReflectionDraft(text: "x y z", blockers: ["skills"], consent: "aggregate_only"), nudgeID: nil,
                        replacingReflectionID: "r_7")))
    }

    @Test("plain messages and other invokes are not card actions")
    func notCardActions() throws {
        #expect(TeamsCardAction.decode(try activity(#"{"type":"message","text":"help"}"#)) == .failure(.notACardAction))
        #expect(
            TeamsCardAction.decode(try activity(#"{"type":"invoke","name":"task/fetch","value":{}}"#))
                == .failure(.notACardAction))
        #expect(TeamsCardAction.decode(try activity(#"{"type":"conversationUpdate"}"#)) == .failure(.notACardAction))
    }

    @Test(
        "wrong shapes give an error naming the field, never a crash",
        arguments: [
            (JSONValue?.none, TeamsCardActionError.missing("value")),
            ("just text", .wrongType("value", expected: "an object")),
            ([:], .missing("value.action")),
            (["action": 5], .wrongType("value.action", expected: "an object")),
            (["action": ["type": "Action.Submit", "verb": "nudge.skip"]], .unsupportedActionType),
            (["action": ["verb": 7]], .wrongType("value.action.verb", expected: "a text")),
            (["action": [:]], .missing("value.action.verb")),
            (["action": ["verb": "nudge.skip", "data": "x"]], .wrongType("value.action.data", expected: "an object")),
            (["action": ["verb": "nudge.delete_everyone"]], .unknownVerb),
            (["action": ["verb": "nudge.skip"]], .missing("nudge_id")),
            (
                ["action": ["verb": "nudge.skip", "data": ["nudge_id": ["n"]]]],
                .wrongType("nudge_id", expected: "a text")
            ),
            (["action": ["verb": "nudge.skip", "data": ["nudge_id": "two words"]]], .invalidID("nudge_id")),
            (["action": ["verb": "nudge.skip", "data": ["nudge_id": "n\u{0}"]]], .invalidID("nudge_id")),
            (["action": ["verb": "nudge.skip", "data": ["nudge_id": "nüdge"]]], .invalidID("nudge_id")),
            (
                ["action": ["verb": "nudge.skip", "data": ["nudge_id": .string(String(repeating: "n", count: 201))]]],
                .invalidID("nudge_id")
            ),
            (["action": ["verb": "reflection.submit", "data": ["text": 42]]], .wrongType("text", expected: "a text")),
            (
                ["action": ["verb": "reflection.submit", "data": ["blockers": ["x": 1]]]],
                .wrongType("blockers", expected: "a text")
            ),
            (
                ["action": ["verb": "reflection.submit", "data": ["blockers": [1]]]],
                .wrongType("blockers", expected: "texts")
            ),
            (
                [
                    "action": [
                        "verb": "reflection.submit",
                        "data": ["blockers": .string(Array(repeating: "skills", count: 21).joined(separator: ","))],
                    ]
                ],
                .tooLong("blockers")
            ),
            (
                [
                    "action": [
                        "verb": "reflection.submit", "data": ["consent": .string(String(repeating: "a", count: 65))],
                    ]
                ],
                .tooLong("consent")
            ),
            (
                ["action": ["verb": "reflection.submit", "data": ["reflection_id": true]]],
                .wrongType("reflection_id", expected: "a text")
            ),
        ] as [(JSONValue?, TeamsCardActionError)])
    func garbage(value: JSONValue?, expected: TeamsCardActionError) {
        #expect(TeamsCardAction.decode(invokeValue: value) == .failure(expected))
    }

    @Test("error descriptions name the field but never echo the value")
    func errorsDoNotEcho() {
        let secret = "my private reflection"
        let result = TeamsCardAction.decode(submitValue: ["debrief_verb": .string(secret)])
        #expect(result == .failure(.unknownVerb))
        if case .failure(let error) = result { #expect(!error.description.contains(secret)) }
    }

    @Test("ten thousand random JSON values decode to an action or an error, never a crash")
    func randomValues() {
        var generator = SplitMix(seed: 0x5EED)
        var decoded = 0
        for _ in 0..<10_000 {
            let value = Self.randomValue(&generator, depth: 0)
            if case .success = TeamsCardAction.decode(invokeValue: value) { decoded += 1 }
            _ = TeamsCardAction.decode(submitValue: value)
        }
        #expect(decoded < 10_000)
    }

    static let keys = [
        "action", "verb", "data", "type", "debrief_verb", "nudge_id", "reflection_id", "text", "blockers", "consent",
        "x",
    ]
    static let strings = [
        "Action.Execute", "nudge.reflect", "reflection.submit", "forget.confirm", "n_1", "", "a,b,,c", "\u{0}", "🙂",
    ]

    static func randomValue(_ generator: inout SplitMix, depth: Int) -> JSONValue {
        switch generator.next() % (depth > 4 ? 5 : 7) {
        case 0: return .null
        case 1: return .bool(generator.next() % 2 == 0)
        case 2: return .number(Double(Int64(bitPattern: generator.next()) % 1_000))
        case 3, 4: return .string(strings[Int(generator.next() % UInt64(strings.count))])
        case 5:
            return .array((0..<Int(generator.next() % 4)).map { _ in randomValue(&generator, depth: depth + 1) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<Int(generator.next() % 5) {
                object[keys[Int(generator.next() % UInt64(keys.count))]] = randomValue(&generator, depth: depth + 1)
            }
            return .object(object)
        }
    }
}

/// A small deterministic generator, so a failure reproduces.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
