import ArgumentParser
import DebriefServer
import DebriefStore
import DebriefStorePostgres
import DebriefStoreSQLite
import Foundation

/// `debrief migrate --from sqlite:///path/debrief.sqlite --to postgres://…`: moves a SQLite installation to
/// PostgreSQL, for an organisation that outgrew one replica.
///
/// The order is the order of what can go wrong, cheapest first, and nothing is written before every check passed:
/// the SQLite file is opened read-only and must be migrated by this very version (never by this command); the
/// pseudonym key the copy keeps must open the file's sealed identifiers; PostgreSQL must answer and its Debrief
/// tables must be empty; then the target's migrations run and the copy is one transaction that checks emptiness
/// again under lock and compares the row counts before it commits. Exit codes: see ``Migrate``.
struct InstallationCopy {
    /// The two databases, parsed from `--from` and `--to` (usage errors, exit 64).
    struct Endpoints {
        let sourcePath: String
        let target: PostgresConnectionSettings

        init(from: String, to: String) throws {
            guard from.hasPrefix("sqlite:") || !from.contains("://") else {
                throw ValidationError("--from names the SQLite file to copy: sqlite:///path/debrief.sqlite")
            }
            switch try? DatabaseURL(parsing: from) {
            case .sqliteFile(let path): sourcePath = path
            case .sqliteMemory: throw ValidationError("--from names a SQLite file; an in-memory database has nothing")
            default: throw ValidationError("--from names the SQLite file to copy: sqlite:///path/debrief.sqlite")
            }
            do {
                // One connection does the copy; a second checks the target beforehand.
                target = try PostgresConnectionSettings(url: to, poolSize: 2)
            } catch {
                throw ValidationError("--to names the PostgreSQL database to copy into: \(error)")
            }
        }
    }

    let endpoints: Endpoints
    /// `DEBRIEF_PSEUDONYM_KEY`, when the operator configured one.
    let configuredKey: String?

    func run() async throws {
        let started = ContinuousClock.now
        let source: SQLiteTableExport
        do {
            source = try SQLiteTableExport(path: endpoints.sourcePath)
        } catch {
            throw failure(error)
        }
        defer { source.close() }
        let key: String
        let keepsKey: Bool
        do {
            try await source.checkCopyable()
            key = try await source.pseudonymKeyForCopy(configured: configuredKey)
            keepsKey = try await source.keepsPseudonymKey()
        } catch {
            throw failure(error)
        }
        do {
            try await PostgresStore.checkConnection(endpoints.target)
        } catch {
            throw failure("\(error)", code: Migrate.exitCode(for: error))
        }
        let copied: [CopiedTable]
        do {
            // The key is the one the copy keeps: configured, the target's migrations generate no key of their own.
            let target = try PostgresStore(settings: endpoints.target, pseudonymKey: .configured(key))
            defer { target.close() }
            let occupied = try await target.nonEmptyTables()
            guard occupied.isEmpty else { throw StoreCopyError.targetNotEmpty(occupied) }
            do {
                try await target.migrate()
            } catch {
                throw StoreCopyError.store(error)
            }
            copied = try await target.importTables(from: source)
            await target.analyzeCopiedTables()
        } catch let error as StoreCopyError {
            throw failure(error)
        } catch {
            throw failure("\(error)", code: 1)
        }
        let elapsed = ContinuousClock.now - started
        print(report(copied, elapsed: elapsed, keepsKey: keepsKey))
    }

    /// The counts per table, what was left out and why, and what to do next.
    func report(_ copied: [CopiedTable], elapsed: Duration, keepsKey: Bool) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let width = max(5, copied.map(\.table.count).max() ?? 0)
        func padded(_ text: String, _ length: Int) -> String {
            text + String(repeating: " ", count: max(0, length - text.count))
        }
        func right(_ number: Int) -> String {
            let text = String(number)
            return String(repeating: " ", count: max(0, 10 - text.count)) + text
        }
        var lines = [
            "debrief: copied sqlite://\(endpoints.sourcePath) into \(endpoints.target) in "
                + String(format: "%.1f", seconds) + " s",
            "",
            padded("table", width) + "    source    target",
        ]
        for table in copied {
            lines.append(padded(table.table, width) + right(table.sourceRows) + right(table.targetRows))
        }
        lines.append(
            padded("total", width) + right(copied.map(\.sourceRows).reduce(0, +))
                + right(copied.map(\.targetRows).reduce(0, +)))
        lines.append("")
        for (table, reason) in SQLiteTableExport.tablesNotCopied {
            lines.append("not copied: \(table): \(reason)")
        }
        lines.append(
            configuredKey == nil
                ? "pseudonym key: the one kept in the SQLite file, copied with it; set DEBRIEF_PSEUDONYM_KEY to keep "
                    + "it outside the database (debrief prints a warning until you do)"
                : "pseudonym key: DEBRIEF_PSEUDONYM_KEY (checked against the file's sealed identifiers); configure "
                    + "the same key for every replica"
                    + (keepsKey
                        ? " (the file also keeps a key of its own in instance_secrets, copied with the rest; it is "
                            + "not used while DEBRIEF_PSEUDONYM_KEY is set)" : ""))
        lines.append(
            "next: set DEBRIEF_DATABASE_URL to the PostgreSQL URL and start Debrief; keep the SQLite file (untouched) "
                + "until you have checked the new installation")
        return lines.joined(separator: "\n")
    }

    /// The exit code of each refusal (sysexits.h), with the message on standard error.
    func failure(_ error: StoreCopyError) -> ExitCode {
        let code: Int32
        switch error {
        case .sourceMissing: code = 66
        case .sourceNotMigrated, .sourceNewer, .unknownTable, .columnsDiffer, .valueDoesNotFit: code = 65
        // A row PostgreSQL's constraints refuse (a reference to a missing person, a duplicate): the source's data.
        case .store(.constraintViolated): code = 65
        case .noPseudonymKey, .pseudonymKeyDoesNotOpen: code = 78
        case .targetNotEmpty: code = 73
        case .countsDiffer: code = 70
        case .store(.migrationFailed): code = 65
        case .store(.unavailable): code = 69
        case .store(.invalidConfiguration): code = 78
        case .store: code = 1
        }
        if case .store(.constraintViolated) = error {
            return failure(
                "\(error.description): the SQLite file holds a row PostgreSQL's constraints refuse; nothing was copied",
                code: code)
        }
        return failure(error.description, code: code)
    }

    func failure(_ message: String, code: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("debrief migrate: \(message)\n".utf8))
        return ExitCode(code)
    }
}
