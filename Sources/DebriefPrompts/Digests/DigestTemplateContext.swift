/// The values digest templates can use (filled in once the digest document lands).
enum DigestTemplateContext {
    static func shape(for name: String) -> [String: DigestContextShape] { [:] }
}
