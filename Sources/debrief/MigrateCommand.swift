import ArgumentParser
import DebriefServer
import DebriefStore
import DebriefStorePostgres
import Foundation

/// `debrief migrate`: applies the schema and exits, with an exit code per kind of failure so a deployment (a
/// Kubernetes Job, an `ExecStartPre`, a compose one-shot) can tell "wait and retry" from "fix the configuration".
///
/// Exit codes (sysexits.h, as the README lists them): 0 applied; 78 the configuration is wrong; 69 PostgreSQL is
/// unreachable (refused, timed out, host not found, TLS failed); 77 the server rejected the credentials; 66 the
/// database does not exist; 65 a migration failed (or the database was migrated by a newer Debrief); 1 anything else.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply database migrations and exit (exit codes: 0 done, 65 migration failed, 66 no such database, "
            + "69 database unreachable, 77 credentials rejected, 78 configuration wrong).")

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let configuration = try await loadConfiguration(flags: options.flags())
        if case .postgres(let settings) = configuration.database {
            do {
                try await PostgresStore.checkConnection(settings)
            } catch {
                throw failure("\(error)", code: Self.exitCode(for: error))
            }
        }
        do {
            let store = try configuration.openStore()
            try await store.migrate()
        } catch let error as StoreError {
            if case .migrationFailed = error { throw failure("\(error)", code: 65) }
            throw failure("\(error)", code: 1)
        } catch {
            throw failure("\(error)", code: 1)
        }
        print("debrief: migrations applied to \(configuration.database)")
    }

    static func exitCode(for problem: PostgresConnectionProblem) -> Int32 {
        switch problem {
        case .refused, .timedOut, .hostNotFound, .tlsFailed, .closedDuringHandshake: 69
        case .credentialsRejected: 77
        case .databaseMissing: 66
        case .other: 1
        }
    }

    private func failure(_ message: String, code: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("debrief migrate: \(message)\n".utf8))
        return ExitCode(code)
    }
}
