import Testing

@testable import DebriefServer

@Suite("Event-loop threads")
struct EventLoopThreadsTests {
    @Test(
        "half the cores for NIO's event loops, at least one (the handlers have a thread per core already)",
        arguments: [(1, 1), (2, 1), (3, 1), (4, 2), (16, 8), (0, 1)])
    func halfTheCores(cores: Int, expected: Int) {
        #expect(EventLoopThreads.count(cores: cores) == expected)
    }

    @Test("an operator's NIO_SINGLETON_GROUP_LOOP_COUNT wins: Debrief sets no size of its own")
    func operatorOverride() {
        #expect(EventLoopThreads.suggestion(cores: 8, environment: [:]) == 4)
        #expect(EventLoopThreads.suggestion(cores: 8, environment: ["NIO_SINGLETON_GROUP_LOOP_COUNT": "3"]) == nil)
        #expect(EventLoopThreads.suggestion(cores: 8, environment: ["OTHER": "3"]) == 4)
    }
}
