internal import CCurl

/// Process-wide libcurl set-up.
///
/// `curl_global_init` is not thread-safe with respect to other curl calls and must run once before any
/// handle is created, so the executable calls ``globalInit()`` at the start of `main`. ``CurlHTTPClient``
/// also calls it lazily so tests and tools that never reach `main` still work; the call is idempotent.
public enum Curl {
    /// The result of the one and only `curl_global_init`, computed on first access. Swift runs a global
    /// `static let` initializer exactly once, even under concurrent first access.
    private static let initializationSucceeded: Bool = ccurl_global_init_default() == CURLE_OK

    /// Initializes libcurl for the whole process. Safe to call any number of times from any thread.
    ///
    /// - Returns: `false` if libcurl could not be initialized (in practice only when out of memory); every
    ///   request made by a ``CurlHTTPClient`` then fails with ``HTTPClientError/transport(url:reason:)``.
    @discardableResult
    public static func globalInit() -> Bool {
        initializationSucceeded
    }

    /// The libcurl version string, e.g. `libcurl/7.88.1 OpenSSL/3.0.11 ...`, for start-up logs.
    public static var versionDescription: String {
        guard let version = curl_version() else { return "libcurl (unknown version)" }
        return String(cString: version)
    }
}
