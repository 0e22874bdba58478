/// Builds Bot Connector URLs from a stored `serviceUrl` and ids the platform chose.
///
/// Why a type of its own: Teams ids carry reserved characters (`19:abc@thread.tacv2;messageid=1`,
/// `a:1qhN…`, `29:…`). Put into a path unescaped, `;` starts path parameters for some proxies and `@`, `:` and
/// `=` are read differently by different servers, so every id is escaped as one path segment, exactly as the
/// official SDKs do (everything but RFC 3986 unreserved characters becomes `%XX`). A `/` or `?` in an id can
/// then never change which resource is addressed.
enum ConnectorPath {
    /// `serviceUrl` with exactly one trailing slash.
    static func base(_ serviceURL: String) -> String {
        var base = serviceURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/"
    }

    /// `{serviceUrl}/v3/…` from literal path parts and ids (escaped); `query` values are escaped too.
    static func url(_ serviceURL: String, _ parts: [Part], query: [(String, String)] = []) -> String {
        var url = base(serviceURL)
        url += parts.map { part in
            switch part {
            case .literal(let text): text
            case .id(let id): encodeSegment(id)
            }
        }.joined(separator: "/")
        if !query.isEmpty { url += "?" + formEncode(query) }
        return url
    }

    enum Part {
        case literal(String)
        case id(String)
    }

    /// Escapes everything but RFC 3986 unreserved characters (`A–Z a–z 0–9 - . _ ~`).
    static func encodeSegment(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0f)]))
            }
        }
        return out
    }

    /// `application/x-www-form-urlencoded` (and query strings) with the same escaping.
    static func formEncode(_ fields: [(String, String)]) -> String {
        fields.map { encodeSegment($0.0) + "=" + encodeSegment($0.1) }.joined(separator: "&")
    }
}
