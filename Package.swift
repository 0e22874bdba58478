// swift-tools-version: 6.2
import PackageDescription

#if canImport(Glibc)
    import Glibc
#endif

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// How the `debrief` server links on Linux (issue #14, its memory when idle and under load). Linux maps an
/// executable's code in whole page-cache folios, so the server's resident memory depends on how many folios its
/// running code and its load-time data are spread over:
/// - lld, so that the release link can lay out first the files and functions the server runs (`link.order`, written
///   by `.ci/link-order`; a stale list only costs memory, never correctness);
/// - relative relocations packed (`DT_RELR`) where the C library reads them (glibc 2.36, as in the container's
///   Debian 12): the loader otherwise reads 2–4 MiB of relocation entries at every start;
/// - no symbol table for dynamic linking: `--static-swift-stdlib` (the container) exports every Swift symbol, which
///   nothing looks up but the loader touches (3 MiB).
/// Together, for the container's build (`bench idle`, binary read from disk): idle 50.9 → 37.7 MiB.
let serverLinkerSettings: [LinkerSetting] = {
    var flags = ["-use-ld=lld", "-Xlinker", "--no-export-dynamic"]
    if buildMachineReadsPackedRelocations() { flags += ["-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"] }
    let order = "\(Context.packageDirectory)/Sources/debrief/link.order"
    return [
        .unsafeFlags(flags, .when(platforms: [.linux])),
        .unsafeFlags(
            ["-Xlinker", "--symbol-ordering-file=\(order)", "-Xlinker", "--no-warn-symbol-ordering"],
            .when(platforms: [.linux], configuration: .release)),
    ]
}()

/// glibc 2.36 or later on the machine that builds: lld then marks the binary as needing it, so a binary built here
/// refuses to start on an older C library with a clear loader error instead of running unrelocated.
func buildMachineReadsPackedRelocations() -> Bool {
    #if canImport(Glibc)
        var buffer = [CChar](repeating: 0, count: 64)
        guard confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count) > 0 else { return false }
        // "glibc 2.36"
        let version = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let numbers = version.split(separator: " ").last?.split(separator: ".").compactMap { Int($0) } ?? []
        guard numbers.count >= 2 else { return false }
        return (numbers[0], numbers[1]) >= (2, 36)
    #else
        return false
    #endif
}

let package = Package(
    name: "Debrief",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "debrief", targets: ["debrief"]),
        // The benchmarks, apart from the server binary; `debrief bench …` runs this executable.
        .executable(name: "debrief-bench", targets: ["DebriefBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // The PostgreSQL store for several replicas (issue #12); TLS to the database through NIOSSL.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.1.0"..<"5.0.0"),
        // Bot Framework tokens (Teams): RS256 verification against the published JWKS.
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // Already in the graph through Hummingbird and swift-configuration; declared because DebriefServer and the
        // HTTP tests import NIOCore (ByteBuffer) and DebriefServer imports SystemPackage (FilePath).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        // Tests only: property-based checks of the parsers for what people type.
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .target(
            name: "DebriefCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: upcoming
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "DebriefHTTP",
            dependencies: [
                "CCurl",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "DebriefStore",
            dependencies: ["DebriefCore"],
            swiftSettings: upcoming
        ),
        .target(
            name: "DebriefStoreSQLite",
            dependencies: [
                "DebriefCore", "DebriefStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The write-ahead log hook (`WALCheckpointer`), which GRDB does not wrap.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "DebriefStorePostgres",
            dependencies: [
                "DebriefCore", "DebriefStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "DebriefPrompts",
            dependencies: [
                "DebriefCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: upcoming
        ),
        // The chat-platform port: what the server asks of Slack, Teams or any platform, in its own terms.
        .target(
            name: "DebriefPlatform",
            dependencies: ["DebriefCore", "DebriefStore", "DebriefPrompts"],
            swiftSettings: upcoming
        ),
        .target(
            name: "DebriefSlack",
            dependencies: [
                "DebriefCore", "DebriefHTTP", "DebriefPrompts", "DebriefPlatform", "DebriefStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: upcoming
        ),
        // Microsoft Teams: the second adapter of the chat-platform port (Bot Framework tokens, the Bot Connector REST
        // API, Adaptive Cards). Never imports DebriefSlack, and DebriefSlack never imports it.
        .target(
            name: "DebriefTeams",
            dependencies: [
                "DebriefCore", "DebriefHTTP", "DebriefPrompts", "DebriefPlatform", "DebriefStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "DebriefServer",
            dependencies: [
                "DebriefCore", "DebriefHTTP", "DebriefStore", "DebriefStoreSQLite", "DebriefStorePostgres",
                "DebriefPrompts", "DebriefPlatform",
                "DebriefSlack", "DebriefTeams",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: upcoming
        ),
        // A faithful loopback Slack Web API: used by the tests, `debrief demo` and `debrief-bench`.
        .target(
            name: "DebriefFakeSlack",
            dependencies: [
                "DebriefCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // A faithful loopback Bot Connector, Entra token endpoint and Bot Framework OpenID/JWKS issuer: used by the
        // tests, `debrief demo --platform teams` and `debrief-bench`. Independent of DebriefTeams on purpose, so the
        // adapter is checked against the documented wire shapes, not against itself.
        .target(
            name: "DebriefFakeTeams",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "debrief",
            dependencies: [
                "DebriefServer", "DebriefCore", "DebriefHTTP", "DebriefPrompts", "DebriefSlack", "DebriefTeams",
                "DebriefStore", "DebriefStoreSQLite", "DebriefStorePostgres",
                // Only for `debrief demo`, which runs the server against these loopback Slack and Teams.
                "DebriefFakeSlack", "DebriefFakeTeams",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["link.order"],
            swiftSettings: upcoming,
            linkerSettings: serverLinkerSettings
        ),
        // `debrief-bench`: the benchmarks. They start the `debrief` beside them as the server under test, so the
        // server binary holds no bench code.
        .executableTarget(
            name: "DebriefBench",
            dependencies: [
                "DebriefServer", "DebriefCore", "DebriefHTTP", "DebriefPlatform", "DebriefSlack", "DebriefStore",
                "DebriefStoreSQLite", "DebriefStorePostgres", "DebriefFakeSlack", "DebriefTeams", "DebriefFakeTeams",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "DebriefTestSupport",
            dependencies: [
                "DebriefCore", "DebriefHTTP", "DebriefFakeSlack", "DebriefPrompts",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/DebriefTestSupport",
            swiftSettings: upcoming
        ),
        // The store backends the contract suites run against (SQLite today, PostgreSQL with issue #12), and the
        // trait that removes their scratch storage after each test.
        .target(
            name: "DebriefStoreTestSupport",
            dependencies: ["DebriefStore", "DebriefStoreSQLite", "DebriefStorePostgres"],
            path: "Tests/DebriefStoreTestSupport",
            swiftSettings: upcoming
        ),
        .target(
            name: "DebriefDigestSamples", dependencies: ["DebriefCore"], path: "Tests/DebriefDigestSamples",
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "DebriefCoreTests",
            dependencies: [
                "DebriefCore", "DebriefDigestSamples",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "DebriefHTTPTests",
            dependencies: [
                "DebriefHTTP", "DebriefTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        // The behaviour every store must show, run against each backend in `StoreBackend.all`; no database imports
        // except DebriefStorePostgres, for what only PostgreSQL has (replicas on one database, job notifications).
        .testTarget(
            name: "DebriefStoreContractTests",
            dependencies: [
                "DebriefCore", "DebriefStore", "DebriefStoreTestSupport",
                // SQLiteToPostgresCopyTests: the copy's reader and writer themselves, and raw rows read back.
                "DebriefStoreSQLite", "DebriefStorePostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "DebriefStoreSQLiteTests",
            // GRDB: the migration and privacy-at-rest tests write older schemas and inspect raw rows.
            dependencies: [
                "DebriefCore", "DebriefStore", "DebriefStoreSQLite", "DebriefStoreTestSupport", "DebriefTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "DebriefPromptsTests",
            dependencies: ["DebriefPrompts", "DebriefCore", "DebriefTestSupport"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "DebriefSlackTests",
            dependencies: [
                "DebriefSlack", "DebriefCore", "DebriefPrompts", "DebriefPlatform", "DebriefStore", "DebriefHTTP",
                "DebriefTestSupport", "DebriefDigestSamples",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "DebriefTeamsTests",
            dependencies: [
                "DebriefTeams", "DebriefFakeTeams", "DebriefCore", "DebriefPrompts", "DebriefPlatform", "DebriefStore",
                "DebriefHTTP", "DebriefTestSupport", "DebriefDigestSamples",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "DebriefServerTests",
            dependencies: [
                "DebriefServer", "DebriefCore", "DebriefStore", "DebriefStoreSQLite", "DebriefStorePostgres",
                "DebriefSlack",
                "DebriefHTTP", "DebriefPrompts", "DebriefPlatform", "DebriefTestSupport", "DebriefTeams",
                "DebriefFakeTeams", "DebriefFakeSlack",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: upcoming
        ),
    ]
)

// The fuzz targets (one per parser of outside input), only when asked for. Why gated: the ordinary
// `swift build --build-tests` and the release image have no use for them, and they would add a large executable to
// every build. `DEBRIEF_FUZZ` in the environment:
// - `libfuzzer` (what `.fuzz/run` sets): declares `DebriefFuzz` and builds Debrief's own modules with libFuzzer's
//   coverage and AddressSanitizer (`-sanitize=fuzzer,address`, `FUZZING`). Only Debrief's modules: the
//   dependencies keep their ordinary build, so a scratch path that already holds a normal build (CI) reuses it.
// - `1`: declares `DebriefFuzz` without instrumentation; it then replays inputs (`swift run DebriefFuzz <target>
//   <file>`), which is how a crash file is checked against a fix in the debugger.
let fuzzMode = Context.environment["DEBRIEF_FUZZ"]
if fuzzMode == "1" || fuzzMode == "libfuzzer" {
    let instrumented = fuzzMode == "libfuzzer"
    let sanitizers = "-sanitize=fuzzer,address"
    let fuzzSettings: [SwiftSetting] = instrumented ? [.unsafeFlags([sanitizers]), .define("FUZZING")] : []
    for target in package.targets where target.type == .regular || target.type == .executable {
        target.swiftSettings = (target.swiftSettings ?? []) + fuzzSettings
    }
    package.targets += [
        // libFuzzer's driver entry point, declared for `DebriefFuzz`; the runtime comes with `-sanitize=fuzzer`.
        .systemLibrary(name: "CLibFuzzer"),
        .executableTarget(
            name: "DebriefFuzz",
            dependencies: [
                "CLibFuzzer", "DebriefCore", "DebriefHTTP", "DebriefPrompts", "DebriefSlack", "DebriefServer",
                "DebriefStore", "DebriefStorePostgres", "DebriefTeams",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: upcoming + fuzzSettings,
            linkerSettings: instrumented ? [.unsafeFlags([sanitizers])] : []
        ),
    ]
}
