internal import CCurl
import Foundation
import HTTPTypes

/// Everything one request needs while curl works on it: the request, the caller's continuation, the
/// response being collected, and the C resources tied to the easy handle.
///
/// Why a class kept alive with `Unmanaged`: curl's write and header callbacks receive a raw `void *`, so the
/// object they write into must have a stable address and must outlive the easy handle. The event loop retains
/// it when the handle is configured and releases it right after the handle is removed from the multi handle.
///
/// Thread confinement: the submitting thread creates it and hands it over through the event loop's locked
/// queue; from then on only the event loop thread touches its mutable state, which is why the unchecked
/// `Sendable` conformance is sound.
final class CurlTransfer: @unchecked Sendable {
    let id: UInt64
    let request: HTTPRequestSpec
    /// Safe for logs and errors; see ``HTTPRequestSpec/redactedURL``.
    let redactedURL: String
    let startedAt: ContinuousClock.Instant
    private let continuation: CheckedContinuation<HTTPResponseData, any Error>
    private let maxResponseBodySize: Int

    // Loop-thread state.
    private(set) var body = Data()
    private(set) var headerFields = HTTPFields()
    private var reasonPhrase = ""
    private(set) var bodyLimitExceeded = false
    var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var retainedSelf: Unmanaged<CurlTransfer>?
    /// CURLOPT_ERRORBUFFER: curl writes a human-readable reason here when a transfer fails.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var resumed = false

    init(
        id: UInt64, request: HTTPRequestSpec, maxResponseBodySize: Int,
        continuation: CheckedContinuation<HTTPResponseData, any Error>
    ) {
        self.id = id
        self.request = request
        self.redactedURL = request.redactedURL
        self.maxResponseBodySize = maxResponseBodySize
        self.continuation = continuation
        self.startedAt = .now
        let errorBufferSize = Int(CURL_ERROR_SIZE)
        self.errorBuffer = .allocate(capacity: errorBufferSize)
        self.errorBuffer.initialize(repeating: 0, count: errorBufferSize)
    }

    deinit {
        if let headerList {
            curl_slist_free_all(headerList)
        }
        errorBuffer.deallocate()
    }

    /// Resumes the caller. The event loop guarantees a single call per transfer; the flag turns a
    /// violation of that into a no-op instead of a crash.
    func resume(with result: Result<HTTPResponseData, HTTPClientError>) {
        guard !resumed else { return }
        resumed = true
        continuation.resume(with: result.mapError { $0 as any Error })
    }

    // MARK: Configuring the easy handle

    /// Applies every option for this request to a fresh easy handle and retains `self` for the callbacks.
    func configure(_ easy: UnsafeMutableRawPointer, _ configuration: CurlHTTPClient.Configuration)
        throws(HTTPClientError)
    {
        self.easy = easy
        let retained = Unmanaged.passRetained(self)
        retainedSelf = retained
        let opaqueSelf = retained.toOpaque()

        try set(
            ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)), "ERRORBUFFER")
        try setString(easy, CURLOPT_URL, request.url, "URL")
        // Multi-threaded process: never let curl use signals (SIGALRM for DNS timeouts).
        try set(ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
        try setString(easy, CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR")
        try setString(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https", "REDIR_PROTOCOLS_STR")
        // Redirects are data for the caller; Slack and Teams APIs never need them followed.
        try set(ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0), "FOLLOWLOCATION")
        try set(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1), "SSL_VERIFYPEER")
        try set(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2), "SSL_VERIFYHOST")
        try set(ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, request.timeout.curlMilliseconds), "TIMEOUT_MS")
        let connectTimeout = min(configuration.connectTimeout, request.timeout)
        try set(
            ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, connectTimeout.curlMilliseconds),
            "CONNECTTIMEOUT_MS")
        try set(ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1), "TCP_KEEPALIVE")
        if !configuration.honoursProxyEnvironment {
            // An empty proxy string disables proxies, including ones from http_proxy / https_proxy.
            try setString(easy, CURLOPT_PROXY, "", "PROXY")
        }
        if let userAgent = configuration.userAgent {
            try setString(easy, CURLOPT_USERAGENT, userAgent, "USERAGENT")
        }

        try set(
            ccurl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION) { buffer, size, count, userdata in
                CurlTransfer.receive(buffer, size * count, userdata, isHeader: false)
            }, "WRITEFUNCTION")
        try set(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, opaqueSelf), "WRITEDATA")
        try set(
            ccurl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION) { buffer, size, count, userdata in
                CurlTransfer.receive(buffer, size * count, userdata, isHeader: true)
            }, "HEADERFUNCTION")
        try set(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, opaqueSelf), "HEADERDATA")

        try configureMethodAndBody(easy)
        try configureHeaders(easy)
    }

    private func configureMethodAndBody(_ easy: UnsafeMutableRawPointer) throws(HTTPClientError) {
        let method = request.method
        let sendsBody = !request.body.isEmpty || method == .post || method == .put || method == .patch
        if method == .head {
            try set(ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1), "NOBODY")
            return
        }
        guard sendsBody else {
            if method == .get {
                try set(ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1), "HTTPGET")
            } else {
                try setString(easy, CURLOPT_CUSTOMREQUEST, method.rawValue, "CUSTOMREQUEST")
            }
            return
        }
        // The size must be set before COPYPOSTFIELDS so curl copies exactly that many (binary) bytes.
        try set(
            ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)),
            "POSTFIELDSIZE_LARGE")
        let copied: CURLcode = request.body.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress {
                return ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
            }
            // Never hand curl a NULL body: it would fall back to reading the request body from stdin.
            return "".withCString { empty in
                ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: empty))
            }
        }
        try set(copied, "COPYPOSTFIELDS")
        if method != .post {
            try setString(easy, CURLOPT_CUSTOMREQUEST, method.rawValue, "CUSTOMREQUEST")
        }
    }

    private func configureHeaders(_ easy: UnsafeMutableRawPointer) throws(HTTPClientError) {
        var lines: [String] = []
        for field in request.headerFields {
            // curl computes these from the body it sends; a caller-supplied value could contradict it.
            if field.name == .contentLength || field.name == .transferEncoding { continue }
            // "Name:" would tell curl to remove the header; "Name;" sends it with an empty value.
            lines.append(field.value.isEmpty ? "\(field.name.rawName);" : "\(field.name.rawName): \(field.value)")
        }
        if request.headerFields[.expect] == nil {
            // Without this curl sends "Expect: 100-continue" for larger bodies and waits up to a second.
            lines.append("Expect:")
        }
        if !request.body.isEmpty, request.headerFields[.contentType] == nil {
            // Suppress curl's default "application/x-www-form-urlencoded"; an unlabeled body is more honest.
            lines.append("Content-Type:")
        }
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw .transport(url: redactedURL, reason: "out of memory while building request headers")
            }
            headerList = appended
        }
        try set(ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList), "HTTPHEADER")
    }

    private func setString(
        _ easy: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String, _ name: String
    ) throws(HTTPClientError) {
        try set(value.withCString { ccurl_easy_setopt_string(easy, option, $0) }, name)
    }

    private func set(_ code: CURLcode, _ option: String) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            if code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT {
                throw .invalidURL(redactedURL)
            }
            throw .transport(url: redactedURL, reason: "libcurl rejected option \(option): \(Self.describe(code))")
        }
    }

    /// Frees what belongs to the easy handle and drops the retain taken in ``configure(_:_:)``. Called by
    /// the event loop after `curl_multi_remove_handle`, so no callback can run afterwards.
    func releaseHandle() {
        if let easy {
            curl_easy_cleanup(easy)
            self.easy = nil
        }
        if let headerList {
            curl_slist_free_all(headerList)
            self.headerList = nil
        }
        retainedSelf?.release()
        retainedSelf = nil
    }

    // MARK: Callbacks

    /// Shared body of the write and header callbacks. Returning anything other than `byteCount` makes curl
    /// abort the transfer with CURLE_WRITE_ERROR, which is how an oversized body is stopped.
    private static func receive(
        _ buffer: UnsafeMutablePointer<CChar>?, _ byteCount: Int, _ userdata: UnsafeMutableRawPointer?, isHeader: Bool
    ) -> Int {
        guard let userdata else { return 0 }
        guard let buffer, byteCount > 0 else { return byteCount }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
        let bytes = UnsafeRawBufferPointer(start: buffer, count: byteCount)
        if isHeader {
            transfer.receiveHeaderLine(bytes)
            return byteCount
        }
        guard transfer.body.count + byteCount <= transfer.maxResponseBodySize else {
            transfer.bodyLimitExceeded = true
            return 0
        }
        transfer.body.append(contentsOf: bytes)
        return byteCount
    }

    /// curl calls the header callback once per complete header line, including the status line of every
    /// response it sees (interim 1xx responses and, if redirects were followed, earlier hops). A new status
    /// line starts a new header block, so only the final response's fields are kept.
    private func receiveHeaderLine(_ raw: UnsafeRawBufferPointer) {
        var line = raw[...]
        while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") {
            line = line.dropLast()
        }
        guard !line.isEmpty else { return }
        if line.starts(with: "HTTP/".utf8) {
            headerFields = HTTPFields()
            body = Data()  // an interim response never has a body, but a reset keeps the invariant simple
            reasonPhrase = Self.reasonPhrase(fromStatusLine: line)
            return
        }
        if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            // Obsolete line folding: a continuation of the previous field's value.
            guard let index = headerFields.indices.last else { return }
            let continuation = String(decoding: Self.trimmed(line), as: UTF8.self)
            headerFields[index].value += " " + continuation
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let nameBytes = line[..<colon]
        guard let name = HTTPField.Name(String(decoding: nameBytes, as: UTF8.self)) else { return }
        let value = Self.trimmed(line[line.index(after: colon)...])
        headerFields.append(HTTPField(name: name, value: Array(value)))
    }

    private static func reasonPhrase(fromStatusLine line: Slice<UnsafeRawBufferPointer>) -> String {
        // "HTTP/1.1 200 OK" -> "OK"; HTTP/2 status lines have no reason phrase.
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count == 3 else { return "" }
        return String(decoding: parts[2], as: UTF8.self)
    }

    private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }),
            let end = bytes.lastIndex(where: { !isSpace($0) })
        else { return bytes[bytes.startIndex..<bytes.startIndex] }
        return bytes[start...end]
    }

    // MARK: Completion

    /// Turns curl's verdict into what the caller receives.
    func outcome(_ code: CURLcode) -> Result<HTTPResponseData, HTTPClientError> {
        guard code == CURLE_OK else {
            return .failure(error(for: code))
        }
        var statusCode = 0
        guard let easy, ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &statusCode) == CURLE_OK,
            (100...999).contains(statusCode)
        else {
            return .failure(.transport(url: redactedURL, reason: "the server sent no HTTP status"))
        }
        let status = HTTPResponse.Status(code: statusCode, reasonPhrase: reasonPhrase)
        return .success(HTTPResponseData(status: status, headerFields: headerFields, body: body))
    }

    private func error(for code: CURLcode) -> HTTPClientError {
        let detail = String(cString: errorBuffer)
        let reason = detail.isEmpty ? Self.describe(code) : detail
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(url: redactedURL)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .couldNotConnect(url: redactedURL, reason: reason)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .invalidURL(redactedURL)
        case CURLE_WRITE_ERROR where bodyLimitExceeded:
            return .transport(url: redactedURL, reason: "response body larger than \(maxResponseBodySize) bytes")
        default:
            return .transport(url: redactedURL, reason: reason)
        }
    }

    static func describe(_ code: CURLcode) -> String {
        guard let text = curl_easy_strerror(code) else { return "curl error \(code.rawValue)" }
        return String(cString: text)
    }
}

extension Duration {
    /// Milliseconds for curl's `*_MS` options, at least 1: curl reads 0 as "no timeout".
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 1 }
        let (wholeMilliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return Int(Int32.max) }
        let total = wholeMilliseconds + attoseconds / 1_000_000_000_000_000
        return Swift.max(1, Swift.min(Int(total), Int(Int32.max)))
    }
}
