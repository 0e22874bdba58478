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
///
/// With `--from sqlite:///path/debrief.sqlite --to postgres://…` it copies a SQLite installation into an empty
/// PostgreSQL database instead (``InstallationCopy``). Its own exit codes: 0 copied (the counts per table printed);
/// 64 `--from`/`--to` missing one another or of the wrong kind; 66 no SQLite file there (or no such PostgreSQL
/// database); 65 the SQLite file is not fully migrated by this version, was migrated by a newer one, or holds a value
/// the target cannot take; 78 the pseudonym key is missing or does not open the file's sealed identifiers; 73 the
/// target holds rows already (nothing is written); 69, 77 as above; 70 the counts differed after the copy (rolled
/// back); 1 anything else. Every failure leaves the SQLite file untouched and the target without Debrief rows.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply database migrations and exit (exit codes: 0 done, 65 migration failed, 66 no such database, "
            + "69 database unreachable, 77 credentials rejected, 78 configuration wrong). With --from and --to: copy "
            + "a SQLite installation into an empty PostgreSQL database (also 64 usage, 66 no SQLite file, 65 source "
            + "not migrated by this version, 78 pseudonym key does not open it, 73 target not empty, 70 counts "
            + "differ).")

    @OptionGroup var options: ConfigurationOptions

    @Option(
        help: ArgumentHelp(
            "Copy this SQLite installation (sqlite:///path/debrief.sqlite) instead of migrating; needs --to.",
            discussion: "The file is opened read-only and must be migrated by this version first."))
    var from: String?

    @Option(
        help: ArgumentHelp(
            "The empty PostgreSQL database (postgres://user@host:5432/db?sslmode=…) that --from is copied into.",
            discussion: "Its migrations are applied first; a database holding any Debrief row is refused."))
    var to: String?

    func validate() throws {
        switch (from, to) {
        case (nil, nil): return
        case (.some(let from), .some(let to)): _ = try InstallationCopy.Endpoints(from: from, to: to)
        default: throw ValidationError("--from and --to go together: --from sqlite:///path.sqlite --to postgres://…")
        }
    }

    func run() async throws {
        if let from, let to {
            let endpoints = try InstallationCopy.Endpoints(from: from, to: to)
            let configuration = try await loadConfiguration(flags: options.flags())
            try await InstallationCopy(endpoints: endpoints, configuredKey: configuration.privacy.pseudonymKey).run()
            return
        }
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
