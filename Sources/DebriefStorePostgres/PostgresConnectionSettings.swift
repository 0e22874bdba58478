import DebriefStore
import Foundation
import NIOSSL
import PostgresNIO

/// Where and how to reach PostgreSQL, read from a `postgres://` or libpq-style `postgresql://` URL.
///
/// `postgres://user:password@host:5432/database?sslmode=prefer`. Percent-escapes in the user, password and database
/// are decoded (a password with `@` or `/` is written `%40`, `%2F`). `sslmode` takes libpq's meanings for the modes
/// that matter to a server: `disable` (plain TCP), `prefer` (the default: TLS when the server offers it, without
/// checking its certificate), `require` (TLS, certificate not checked), `verify-ca` and `verify-full` (TLS, the
/// certificate checked against the system's trust store, `sslrootcert` or both; `verify-full` also checks the host
/// name). `connect_timeout` (seconds) and `application_name` are read too; other parameters are refused by name
/// rather than ignored, so a typo does not silently weaken TLS.
///
/// - Important: the password is kept only here and handed to the driver; ``description`` and every error leave it
///   out.
public struct PostgresConnectionSettings: Sendable, Equatable, CustomStringConvertible {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    /// Package-visible for the fuzz target that checks the logged form never carries it.
    package var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// A PEM file of the certificate authorities to trust (`sslrootcert`); the system store when nil.
    public var rootCertificatePath: String?
    public var connectTimeout: Duration
    public var applicationName: String?
    /// Connections in the pool (`DEBRIEF_DATABASE_POOL`).
    public var poolSize: Int

    /// The default pool on a small machine: enough for the request path, the job worker and a listener without
    /// making PostgreSQL keep a backend process per idle connection.
    public static let defaultPoolSize = 8

    /// Parses the URL; every message names the part that is wrong and never repeats the password.
    public init(url raw: String, poolSize: Int = Self.defaultPoolSize) throws(StoreError) {
        let value = raw.trimmingCharacters(in: .whitespaces)
        let scheme: String
        if value.hasPrefix("postgres://") {
            scheme = "postgres://"
        } else if value.hasPrefix("postgresql://") {
            scheme = "postgresql://"
        } else {
            throw .invalidConfiguration("a PostgreSQL URL starts with postgres:// or postgresql://")
        }
        var rest = Substring(value.dropFirst(scheme.count))
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        // The credentials end at the last `@`: an unescaped `@` in a password still parses.
        var credentials: Substring?
        if let at = rest.lastIndex(of: "@") {
            credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var username = "postgres"
        var password: String?
        if let credentials {
            if let colon = credentials.firstIndex(of: ":") {
                username = try Self.decode(credentials[..<colon], part: "user name")
                password = try Self.decode(credentials[credentials.index(after: colon)...], part: "password")
            } else {
                username = try Self.decode(credentials, part: "user name")
            }
        }
        let (host, port) = try Self.hostAndPort(rest)
        guard !path.isEmpty else {
            throw .invalidConfiguration("the PostgreSQL URL names no database (postgres://user@host:5432/DATABASE)")
        }
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = try Self.decode(path, part: "database name")
        self.sslMode = .prefer
        self.connectTimeout = .seconds(10)
        self.poolSize = poolSize
        for pair in query.split(separator: "&") where !pair.isEmpty {
            // Empty pieces kept: `=…` is a parameter without a name (an error below), never a missing first piece
            // (the fuzzer found `?=======` trapping on `parts[0]`).
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts.first ?? "")
            let parameter = parts.count > 1 ? try Self.decode(parts[1], part: name) : ""
            switch name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: parameter) else {
                    throw .invalidConfiguration(
                        "sslmode=\(parameter) is not one of "
                            + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                sslMode = mode
            case "sslrootcert":
                rootCertificatePath = parameter
            case "connect_timeout":
                guard let seconds = Int(parameter), (1...600).contains(seconds) else {
                    throw .invalidConfiguration("connect_timeout is a number of seconds from 1 to 600")
                }
                connectTimeout = .seconds(seconds)
            case "application_name":
                applicationName = parameter
            default:
                throw .invalidConfiguration(
                    "the PostgreSQL URL parameter \(name.prefix(40)) is not supported "
                        + "(sslmode, sslrootcert, connect_timeout, application_name)")
            }
        }
    }

    /// Host, port and database without the user's password, for logs and messages.
    ///
    /// The user and database are percent-escaped as a URL would carry them, so a database name that repeats the
    /// credentials (`…/user:password@…`, which the fuzzer found) cannot print them in clear.
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(Self.escaped(username))@\(hostPart):\(port)/\(Self.escaped(database))"
            + "?sslmode=\(sslMode.rawValue)"
    }

    private static func escaped(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "(unprintable)"
    }

    /// The same server with another database: the tests' temporary databases, and `CREATE DATABASE` run from the
    /// maintenance database.
    public func with(database: String) -> PostgresConnectionSettings {
        var copy = self
        copy.database = database
        return copy
    }

    /// The pool's configuration: TLS as `sslmode` asks, the pool size, the connect timeout.
    func clientConfiguration() throws(StoreError) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch try tlsPolicy() {
        case .none: tls = .disable
        case .preferred(let configuration): tls = .prefer(configuration)
        case .required(let configuration): tls = .require(configuration)
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = poolSize
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = connectTimeout
        if let applicationName {
            configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        }
        return configuration
    }

    /// One connection's configuration (maintenance work outside the pool, the job listener).
    func connectionConfiguration() throws(StoreError) -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch try tlsPolicy() {
            case .none: tls = .disable
            case .preferred(let configuration): tls = .prefer(try NIOSSLContext(configuration: configuration))
            case .required(let configuration): tls = .require(try NIOSSLContext(configuration: configuration))
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .invalidConfiguration("the TLS settings for PostgreSQL cannot be used (\(type(of: error)))")
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000)
        if let applicationName {
            configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        }
        return configuration
    }

    private enum TLSPolicy {
        case none
        case preferred(TLSConfiguration)
        case required(TLSConfiguration)
    }

    private func tlsPolicy() throws(StoreError) -> TLSPolicy {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable:
            return .none
        case .allow, .prefer:
            tls.certificateVerification = .none
            return .preferred(tls)
        case .require:
            tls.certificateVerification = .none
            return .required(tls)
        case .verifyCA, .verifyFull:
            tls.certificateVerification = sslMode == .verifyFull ? .fullVerification : .noHostnameVerification
            if let rootCertificatePath {
                do {
                    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificatePath))
                } catch {
                    throw .invalidConfiguration("sslrootcert \(rootCertificatePath) is not a readable PEM file")
                }
            }
            return .required(tls)
        }
    }

    private static func hostAndPort(_ text: Substring) throws(StoreError) -> (String, Int) {
        var host = text
        var portText: Substring?
        if host.hasPrefix("[") {
            // [::1]:5432
            guard let close = host.firstIndex(of: "]") else {
                throw .invalidConfiguration("the PostgreSQL host [IPv6 address] has no closing bracket")
            }
            let after = host[host.index(after: close)...]
            portText = after.hasPrefix(":") ? after.dropFirst() : nil
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard !host.isEmpty else {
            throw .invalidConfiguration("the PostgreSQL URL names no host (postgres://user@HOST:5432/database)")
        }
        var port = 5432
        if let portText {
            guard let parsed = Int(portText), (1...65535).contains(parsed) else {
                throw .invalidConfiguration("the PostgreSQL port is a number from 1 to 65535")
            }
            port = parsed
        }
        return (String(host), port)
    }

    private static func decode(_ text: Substring, part: String) throws(StoreError) -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw .invalidConfiguration("the \(part) in the PostgreSQL URL has a broken %-escape")
        }
        return decoded
    }
}
