/// The Azure Bot's identity: what the bot presents to the token endpoint to act as itself.
///
/// Named after Microsoft's configuration keys (`MicrosoftAppId`, `MicrosoftAppPassword`,
/// `MicrosoftAppTenantId`, `MicrosoftAppType`) so an operator recognises them from the Azure portal.
///
/// - Important: `password` is the client secret. It is never logged and never printed: `description`,
///   `debugDescription` and the mirror (`dump`, string interpolation) show `<redacted>` instead.
public struct BotCredentials: Sendable, Equatable {
    /// `MicrosoftAppType`: which Entra authority issues the bot's token.
    public enum AppType: String, Sendable, Equatable, CaseIterable {
        /// The default for bots created after 2025-07-31: the token comes from the bot's home tenant.
        case singleTenant = "SingleTenant"
        /// Older bots: the token comes from the `botframework.com` authority.
        case multiTenant = "MultiTenant"
    }

    /// `MicrosoftAppId`: the Entra application (client) id, a GUID. Also the bot's `28:<appId>` id.
    public var appID: String
    /// `MicrosoftAppPassword`: the client secret.
    public var password: String
    /// `MicrosoftAppTenantId`: the bot's home tenant; required for ``AppType/singleTenant``.
    public var tenantID: String?
    /// `MicrosoftAppType`.
    public var appType: AppType

    public init(appID: String, password: String, tenantID: String? = nil, appType: AppType = .singleTenant) {
        self.appID = appID
        self.password = password
        self.tenantID = tenantID
        self.appType = appType
    }

    /// The authority tenant in the token URL: the home tenant for a SingleTenant bot, `botframework.com`
    /// for a MultiTenant one; nil when a SingleTenant bot has no tenant id configured.
    public var authorityTenant: String? {
        switch appType {
        case .multiTenant: return "botframework.com"
        case .singleTenant:
            guard let tenantID, !tenantID.isEmpty else { return nil }
            return tenantID
        }
    }

    /// The bot's own channel account id, `28:<appId>`, as Bot Connector calls name it.
    public var botID: String { "28:" + appID }
}

extension BotCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "BotCredentials(appID: \(appID), password: <redacted>, tenantID: \(tenantID ?? "nil"), "
            + "appType: \(appType.rawValue))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "appID": appID, "password": "<redacted>", "tenantID": tenantID as Any, "appType": appType,
            ])
    }
}
