import DebriefServer
import DebriefStorePostgres

extension FuzzTarget {
    /// `DEBRIEF_DATABASE_URL`: configuration, and the one value whose log form must hide credentials.
    static let databaseURL = FuzzTarget(
        name: "database-url",
        summary: "DatabaseURL(parsing:) and the redacted form it logs"
    ) { input in
        guard let url = try? DatabaseURL(parsing: input.text, workingDirectory: "/srv/debrief") else { return }
        switch url {
        case .postgres(let settings):
            // The logged form is `postgres://user@host:port/db?sslmode=…`: never `user:password@`.
            if let password = settings.password {
                FuzzExpect.that(
                    !url.description.contains("\(settings.username):\(password)@"),
                    "a PostgreSQL URL is logged without its password")
            }
        case .sqliteFile(let path):
            FuzzExpect.that(path.hasPrefix("/"), "a database file path is absolute")
        case .sqliteMemory:
            break
        }
    }
}
