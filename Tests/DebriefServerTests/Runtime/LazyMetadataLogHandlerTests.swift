import DebriefServer
import Logging
import Synchronization
import Testing

/// The handler `debrief serve` logs through: metadata is kept until a line is written, and written lines carry it.
@Suite("Logging: metadata formatted only for written lines")
struct LazyMetadataLogHandlerTests {
    /// Records what reaches it, and every time its own metadata is touched.
    final class Recorder: Sendable {
        let events = Mutex<[LogEvent]>([])
        let metadataWrites = Mutex(0)
    }

    struct RecordingHandler: LogHandler {
        let recorder: Recorder
        var logLevel: Logger.Level = .info
        var metadataProvider: Logger.MetadataProvider?
        var metadata: Logger.Metadata {
            get { [:] }
            set { recorder.metadataWrites.withLock { $0 += 1 } }
        }
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { nil }
            set { recorder.metadataWrites.withLock { $0 += 1 } }
        }
        func log(event: LogEvent) { recorder.events.withLock { $0.append(event) } }
    }

    @Test("setting metadata does not reach the writing handler; a written line carries it, its own keys winning")
    func metadataOnlyWithLines() {
        let recorder = Recorder()
        var logger = Logger(label: "test") { _ in LazyMetadataLogHandler(RecordingHandler(recorder: recorder)) }
        logger[metadataKey: "hb.request.id"] = "42"
        logger[metadataKey: "route"] = "/slack/events"
        logger.debug("below the level: not written")
        #expect(recorder.metadataWrites.withLock { $0 } == 0)
        #expect(recorder.events.withLock { $0 }.isEmpty)
        logger.info("answered", metadata: ["route": "/healthz", "status": "200"])
        let events = recorder.events.withLock { $0 }
        #expect(events.count == 1)
        #expect(events.first?.metadata == ["hb.request.id": "42", "route": "/healthz", "status": "200"])
        #expect(logger[metadataKey: "route"] == "/slack/events", "the logger's own value is unchanged")
    }

    @Test("the level is the writing handler's")
    func level() {
        let recorder = Recorder()
        var logger = Logger(label: "test") { _ in LazyMetadataLogHandler(RecordingHandler(recorder: recorder)) }
        logger.logLevel = .error
        logger.warning("not written")
        logger.error("written")
        #expect(recorder.events.withLock { $0 }.map(\.message) == ["written"])
    }
}
