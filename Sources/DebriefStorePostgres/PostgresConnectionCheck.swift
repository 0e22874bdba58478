import DebriefStore
import Foundation
import PostgresNIO

/// Why PostgreSQL could not be used, in the words an operator acts on: `debrief migrate` prints it and exits with
/// the code the README documents for it.
public enum PostgresConnectionProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing listens at host:port (the server is down, or the port is wrong).
    case refused(String)
    /// No answer within the connect timeout (a firewall, a wrong address).
    case timedOut(String)
    /// The host name does not resolve.
    case hostNotFound(String)
    /// The server rejected the user name or password (or pg_hba.conf refuses this client).
    case credentialsRejected(String)
    /// The server is up but has no such database.
    case databaseMissing(String)
    /// TLS was required (`sslmode=require` or stricter) and the server does not offer it, or its certificate did
    /// not verify.
    case tlsFailed(String)
    /// The connection dropped during the handshake (not PostgreSQL at that port, a proxy refusing, no route).
    case closedDuringHandshake(String)
    /// Anything else the server or the network said.
    case other(String)

    public var description: String {
        switch self {
        case .refused(let target):
            "PostgreSQL at \(target) refused the connection: is the server running, and is the port right?"
        case .timedOut(let target):
            "PostgreSQL at \(target) did not answer within the connect timeout (connect_timeout in the URL)"
        case .hostNotFound(let target): "the PostgreSQL host of \(target) does not resolve"
        case .credentialsRejected(let target): "PostgreSQL at \(target) rejected the user name or password"
        case .databaseMissing(let target):
            "\(target): the database does not exist (create it: createdb, or CREATE DATABASE)"
        case .tlsFailed(let target): "\(target): TLS failed (the server offers none, or its certificate did not verify)"
        case .closedDuringHandshake(let target):
            "the connection to \(target) closed during the handshake: is PostgreSQL listening there, and is there a route?"
        case .other(let detail): "PostgreSQL: \(detail)"
        }
    }
}

extension PostgresStore {
    /// Opens one connection (outside the pool) within the connect timeout and closes it: tells an unreachable host,
    /// a refused connection, wrong credentials and a missing database apart before anything else runs.
    public static func checkConnection(_ settings: PostgresConnectionSettings) async throws(PostgresConnectionProblem) {
        let target = "\(settings.host):\(settings.port)/\(settings.database)"
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try settings.connectionConfiguration()
        } catch {
            throw .other(error.description)
        }
        do {
            let connection = try await PostgresConnection.connect(
                configuration: configuration, id: 0, logger: PostgresStore.quiet)
            try await connection.close()
        } catch {
            throw classify(error, target: target)
        }
    }

    static func classify(_ error: any Error, target: String) -> PostgresConnectionProblem {
        guard let error = error as? PSQLError else { return .other(String(describing: type(of: error))) }
        if let state = error.serverInfo?[.sqlState] {
            switch state {
            case "28P01", "28000": return .credentialsRejected(target)
            case "3D000": return .databaseMissing(target)
            default: return .other("\(state) \(error.serverInfo?[.message] ?? "")")
            }
        }
        switch error.code {
        case .sslUnsupported, .failedToAddSSLHandler: return .tlsFailed(target)
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError: return .credentialsRejected(target)
        default: break
        }
        let underlying = error.underlying.map { String(describing: $0) } ?? ""
        let lowercased = underlying.lowercased()
        if lowercased.contains("timeout") || lowercased.contains("timed out") { return .timedOut(target) }
        if underlying.contains("refused") || underlying.contains("ECONNREFUSED") { return .refused(target) }
        if underlying.contains("resolve") || underlying.contains("NXDOMAIN") || underlying.contains("unknown host")
            || underlying.contains("SocketAddressError")
        {
            return .hostNotFound(target)
        }
        if underlying.contains("NIOSSL") || underlying.contains("certificate") || underlying.contains("handshake") {
            return .tlsFailed(target)
        }
        if error.code == .serverClosedConnection || error.code == .uncleanShutdown {
            return .closedDuringHandshake(target)
        }
        return .other("\(error.code) (\(underlying.prefix(160)))")
    }
}
