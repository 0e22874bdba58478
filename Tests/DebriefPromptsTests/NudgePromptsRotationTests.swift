import DebriefPrompts
import DebriefTestSupport
import Foundation
import Testing

@Suite("Nudge wording rotation")
struct NudgePromptsRotationTests {
    let sequence: NudgeSequenceTexts

    init() throws {
        let library = try NudgeLibrary.load(from: RepositoryPrompts.directory)
        sequence = try #require(library.sequence("default"))
    }

    /// Pseudonyms shaped like the real ones (64 hex characters of a keyed hash).
    static let pseudonyms: [String] = (0..<100).map { index in
        var state = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        var hex = ""
        for _ in 0..<4 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let chunk = String(state, radix: 16)
            hex += String(repeating: "0", count: 16 - chunk.count) + chunk
        }
        return hex
    }

    @Test func everyWordingOfEveryStageIsUsedAcrossOneHundredPeople() throws {
        for stage in sequence.stages {
            for locale in ["en", "de"] {
                let all = try #require(stage.wordings[locale])
                let used = Set(
                    Self.pseudonyms.compactMap { sequence.wording(for: stage.id, pseudonym: $0, locale: locale) })
                #expect(used == Set(all), "\(stage.id) \(locale): \(used.count) of \(all.count) wordings used")
            }
        }
    }

    @Test func thePickIsStableForAPersonAndStage() {
        for pseudonym in Self.pseudonyms {
            for stage in sequence.stages {
                let first = sequence.wording(for: stage.id, pseudonym: pseudonym, locale: "en")
                let again = sequence.wording(for: stage.id, pseudonym: pseudonym, locale: "en")
                #expect(first != nil && first == again)
            }
        }
        // Pinned, so nobody swaps in the per-process seeded `Hasher` (which would reshuffle on every restart).
        #expect(NudgeRotation.index(pseudonym: "a", stageIndex: 0, attempt: 0, count: 3) == 1)  // FNV-1a("a") % 3
        #expect(NudgeRotation.index(pseudonym: "a", stageIndex: 1, attempt: 0, count: 3) == 2)
        #expect(NudgeRotation.index(pseudonym: "", stageIndex: 0, attempt: 0, count: 3) == 2)
        #expect(NudgeRotation.index(pseudonym: "a", stageIndex: 0, attempt: 0, count: 1) == 0)
        #expect(NudgeRotation.index(pseudonym: "a", stageIndex: 0, attempt: 0, count: 0) == 0)
    }

    @Test func consecutiveStagesNeverRepeatTheSameQuestion() {
        for pseudonym in Self.pseudonyms {
            for locale in ["en", "de"] {
                let texts = sequence.stages.compactMap {
                    sequence.wording(for: $0.id, pseudonym: pseudonym, locale: locale)
                }
                #expect(texts.count == sequence.stages.count)
                for (earlier, later) in zip(texts, texts.dropFirst()) {
                    #expect(earlier != later, "\(pseudonym) gets the same \(locale) question twice in a row")
                }
            }
        }
    }

    @Test func aLaterTrainingMovesOnToTheNextWording() {
        for pseudonym in Self.pseudonyms.prefix(20) {
            let first = sequence.wording(for: "d3", pseudonym: pseudonym, attempt: 0, locale: "en")
            let second = sequence.wording(for: "d3", pseudonym: pseudonym, attempt: 1, locale: "en")
            #expect(first != second)
        }
    }

    @Test func colleaguesGetDifferentWordings() {
        let picks = Set(
            Self.pseudonyms.prefix(10).compactMap { sequence.wording(for: "d1", pseudonym: $0, locale: "en") })
        #expect(picks.count > 1)
    }

    @Test func unknownStageHasNoWording() {
        #expect(sequence.wording(for: "d2", pseudonym: "p") == nil)
        #expect(sequence.reminder(for: "d2") == nil)
    }
}
