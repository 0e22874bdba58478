import Testing

@testable import DebriefServer

/// How many people one write transaction of a training's resolution takes.
@Suite("Batch sizer")
struct BatchSizerTests {
    func sizer() -> BatchSizer {
        BatchSizer(target: .milliseconds(40), initial: 100, minimum: 10, maximum: 1_000)
    }

    @Test("a batch that held the writer for more than twice the target halves the next one, down to the minimum")
    func slowBatchesShrink() {
        var sizer = sizer()
        sizer.record(items: 100, took: .milliseconds(200))
        #expect(sizer.size == 50)
        for _ in 0..<10 { sizer.record(items: sizer.size, took: .seconds(1)) }
        #expect(sizer.size == 10)
    }

    @Test("fast full batches grow by half, up to the maximum; near the target the size stays")
    func fastBatchesGrow() {
        var sizer = sizer()
        sizer.record(items: 100, took: .milliseconds(5))
        #expect(sizer.size == 150)
        sizer.record(items: 150, took: .milliseconds(40))
        #expect(sizer.size == 150)
        for _ in 0..<20 { sizer.record(items: sizer.size, took: .milliseconds(1)) }
        #expect(sizer.size == 1_000)
    }

    @Test("the last, shorter batch of a training says nothing about growing")
    func partialBatchDoesNotGrow() {
        var sizer = sizer()
        sizer.record(items: 7, took: .milliseconds(1))
        #expect(sizer.size == 100)
    }
}
