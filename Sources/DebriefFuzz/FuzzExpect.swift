/// Checks a promise a parser makes (a round trip, a range, "never empty") inside a fuzz target.
///
/// A broken promise must stop the process: libFuzzer records an input only when the target crashes, and a
/// replayed crash file must fail the same way. So this traps on purpose, with a message naming the promise —
/// the one place in Debrief where trapping is the job. Never used outside `DebriefFuzz`.
enum FuzzExpect {
    static func that(
        _ condition: Bool, _ promise: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line
    ) {
        guard !condition else { return }
        preconditionFailure("fuzz target: broken promise: \(promise())", file: file, line: line)
    }
}
