import DebriefCore
import DebriefSlack
import Foundation

extension FuzzTarget {
    /// A submitted reflection form: the `payload` JSON of a `view_submission`, with `state.values` typed by
    /// whoever controls the client.
    static let viewSubmission = FuzzTarget(
        name: "view-submission",
        summary: "view_submission JSON sent as Slack sends it (form field `payload`), read into a ReflectionDraft"
    ) { input in
        var body = Data("payload=".utf8)
        body.append(Data(percentEncoded(input.bytes).utf8))
        guard case .viewSubmission(let submission)? = try? SlackInboundDecoder.decode(body: body, contentType: nil)
        else { return }
        let draft = ReflectionModal.draft(from: submission)
        switch draft.validate() {
        case .success(let fields):
            FuzzExpect.that(
                fields.text.count >= ReflectionDraft.minimumTextLength
                    && fields.text.count <= ReflectionDraft.maximumTextLength,
                "a valid reflection's text has 3…3000 characters")
            if let confidence = fields.confidence {
                FuzzExpect.that((1...5).contains(confidence), "confidence is 1…5")
            }
        case .failure(let errors):
            FuzzExpect.that(!errors.problems.isEmpty, "a refused form names at least one field")
            if let prompts = FuzzPrompts.library {
                _ = ReflectionModal.errorsResponse(errors, prompts: prompts).encoded()
            }
        }
        _ = ReflectionModal.reflectionID(fromPrivateMetadata: submission.privateMetadata)
    }

    /// Every byte as `%XX`: the form decoder must give back exactly the bytes (as UTF-8 text).
    private static func percentEncoded(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3)
        for byte in bytes {
            out.append(UInt8(ascii: "%"))
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
