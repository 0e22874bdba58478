import GRDB
import Synchronization

/// Commits many concurrent writes in one SQLite transaction ("group commit").
///
/// One commit per request is the ceiling of the naive design: under load most of the time goes to
/// beginning and committing transactions. Here every write runs in its own savepoint, so it succeeds or
/// fails alone, but the writes that arrived while the previous transaction was running share the next
/// commit. A caller resumes only after the commit that holds its write, so "returned" still means
/// "durable".
///
/// No background task: the first caller to find the writer idle becomes the leader and runs a batch; when
/// it is done it hands leadership to the oldest waiting caller, which runs the next batch.
final class GroupCommitWriter: Sendable {
    private typealias Outcome = Result<any Sendable, any Error>

    private struct Item: Sendable {
        let work: @Sendable (Database) throws -> any Sendable
        let continuation: CheckedContinuation<Role, Never>
    }

    /// What a waiting caller is told when it resumes.
    private enum Role: Sendable {
        case finished(Outcome)
        case lead
    }

    private struct State {
        var pending: [Item] = []
        var leaderActive = false
    }

    private let writer: any DatabaseWriter
    private let state = Mutex(State())
    /// Upper bound on writes in one transaction, so one commit never grows without limit.
    private let maximumBatch: Int

    init(writer: any DatabaseWriter, maximumBatch: Int = 256) {
        self.writer = writer
        self.maximumBatch = maximumBatch
    }

    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let role = await withCheckedContinuation { (continuation: CheckedContinuation<Role, Never>) in
            let item = Item(work: { db in try work(db) }, continuation: continuation)
            let becomeLeader = state.withLock { state -> Bool in
                state.pending.append(item)
                if state.leaderActive { return false }
                state.leaderActive = true
                return true
            }
            if becomeLeader { continuation.resume(returning: .lead) }
        }
        let outcome: Outcome
        switch role {
        case .finished(let finished):
            outcome = finished
        case .lead:
            outcome = await lead()
        }
        switch outcome {
        case .success(let value):
            guard let typed = value as? T else { throw GroupCommitError.unexpectedResultType }
            return typed
        case .failure(let error):
            throw error
        }
    }

    /// Runs one batch that includes the leader's own item (it is already pending), resumes everyone in it,
    /// and passes leadership on if more work arrived meanwhile. Returns the leader's own outcome.
    private func lead() async -> Outcome {
        let batch = state.withLock { state -> [Item] in
            let taken = Array(state.pending.prefix(maximumBatch))
            state.pending.removeFirst(taken.count)
            return taken
        }
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(batch.count)
        do {
            outcomes = try await commit { db -> [Outcome] in
                var results: [Outcome] = []
                results.reserveCapacity(batch.count)
                for item in batch {
                    var value: (any Sendable)?
                    do {
                        try db.inSavepoint {
                            value = try item.work(db)
                            return .commit
                        }
                        if let value {
                            results.append(.success(value))
                        } else {
                            results.append(.failure(GroupCommitError.unexpectedResultType))
                        }
                    } catch {
                        results.append(.failure(error))
                    }
                }
                return results
            }
        } catch {
            // The commit itself failed: nothing of this batch is durable.
            outcomes = Array(repeating: .failure(error), count: batch.count)
        }
        // The leader's own item is always first in its batch: a new leader is either the first caller
        // into an idle writer or the oldest pending caller it was handed to.
        let next = state.withLock { state -> Item? in
            if let first = state.pending.first { return first }
            state.leaderActive = false
            return nil
        }
        var own: Outcome = .failure(GroupCommitError.unexpectedResultType)
        for (index, item) in batch.enumerated() {
            if index == 0 {
                own = outcomes[index]
            } else {
                item.continuation.resume(returning: .finished(outcomes[index]))
            }
        }
        next?.continuation.resume(returning: .lead)
        return own
    }
}

extension GroupCommitWriter {
    /// One transaction on GRDB's writer queue. Deliberately not cancellable: a batch holds other
    /// callers' writes, so the leader's cancellation must not abort them.
    fileprivate func commit<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            writer.asyncWrite(updates) { _, result in continuation.resume(with: result) }
        }
    }
}

enum GroupCommitError: Error {
    case unexpectedResultType
}
