import DebriefSlack

extension FuzzTarget {
    /// `application/x-www-form-urlencoded` bodies: every slash command and interaction arrives this way.
    static let slackForm = FuzzTarget(
        name: "slack-form",
        summary: "SlackFormDecoder.decode/value(of:) and the unsigned ssl_check test on form bodies"
    ) { input in
        let fields = SlackFormDecoder.decode(input.bytes)
        // `value(of:)` is the one-field shortcut of `decode`: both must agree on every name (first value wins).
        for (name, value) in fields.prefix(32) {
            FuzzExpect.that(
                SlackFormDecoder.value(of: name, in: input.bytes) == value, "value(of:) agrees with decode()")
        }
        let isCheck = SlackInboundDecoder.isSSLCheck(formBody: input.bytes)
        FuzzExpect.that(
            !isCheck || (input.bytes.first != UInt8(ascii: "{") && fields["ssl_check"] == "1"),
            "only ssl_check=1 in a form body is an unsigned certificate check")
    }
}
