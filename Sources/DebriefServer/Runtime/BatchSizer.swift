/// Chooses how many items the next write transaction takes, so each one holds SQLite's single writer for
/// about `target`.
///
/// Why by time and not a fixed count: the cost of a row grows with the database (a training's 100,000th
/// person lands in much larger indexes than its first), and every other write — a `/reflect` Slack wants
/// acknowledged within 3 seconds — waits for the transaction in progress. A batch that took more than twice
/// the target halves the next one; one that took less than half of it grows the next by half.
struct BatchSizer: Sendable, Equatable {
    let target: Duration
    let minimum: Int
    let maximum: Int
    /// Items in the next batch.
    private(set) var size: Int

    init(target: Duration, initial: Int, minimum: Int, maximum: Int) {
        self.target = target
        self.minimum = max(1, minimum)
        self.maximum = max(self.minimum, maximum)
        self.size = min(max(initial, self.minimum), self.maximum)
    }

    /// Adjusts ``size`` after a batch of `items` took `duration`.
    mutating func record(items: Int, took duration: Duration) {
        guard items > 0 else { return }
        if duration > target * 2 {
            size = max(minimum, min(size, items) / 2)
        } else if duration < target / 2, items >= size {
            size = min(maximum, size + max(1, size / 2))
        }
    }
}
