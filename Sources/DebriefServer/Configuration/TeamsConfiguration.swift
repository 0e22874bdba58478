import DebriefCore

/// The Teams side: the Azure Bot's credentials (under Microsoft's own names), where Microsoft's endpoints are,
/// how fast messages go out, who may run admin commands in Teams.
public struct TeamsConfiguration: Sendable {
    public static let defaultOpenIDMetadataURL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
    public static let defaultTokenURL = "https://login.microsoftonline.com"
    public static let defaultIssuer = "https://api.botframework.com"
    public static let defaultTokenScope = "https://api.botframework.com/.default"
    /// The global Bot Connector endpoint, for people and channels no activity has told us the regional one of.
    public static let defaultServiceURL = "https://smba.trafficmanager.net/teams/"
    public static let defaultSendRate: Double = 25

    /// How the bot's Entra app is registered; decides which tenant issues its token.
    public enum AppType: String, Sendable, Equatable {
        /// The default since Microsoft stopped creating multi-tenant bots (31 July 2025): tokens from the home tenant.
        case singleTenant = "SingleTenant"
        /// Bots registered earlier: tokens from `botframework.com`.
        case multiTenant = "MultiTenant"
    }

    /// The app id, its secret and tenant; all that is needed for the Teams endpoint to work.
    public struct Credentials: Sendable {
        public var appID: String
        public var password: String
        /// Required for ``AppType/singleTenant``.
        public var tenantID: String?
        public var appType: AppType

        public init(appID: String, password: String, tenantID: String?, appType: AppType = .singleTenant) {
            self.appID = appID
            self.password = password
            self.tenantID = tenantID
            self.appType = appType
        }
    }

    /// Nil: Teams is not configured, and `/api/messages` answers 503.
    public var credentials: Credentials?
    public var openIDMetadataURL: String
    /// Base of the token endpoint (`…/{tenant}/oauth2/v2.0/token` is appended), without a trailing `/`.
    public var tokenURL: String
    /// The `iss` of Teams' tokens.
    public var issuer = defaultIssuer
    /// The scope of the bot's own token.
    public var tokenScope = defaultTokenScope
    /// Always ending in `/`.
    public var serviceURL: String
    public var sendRatePerSecond: Double
    /// Entra object ids (lower-cased) allowed to run `debrief training …` in Teams.
    public var adminUsers: Set<String>

    public init(
        credentials: Credentials? = nil, openIDMetadataURL: String = defaultOpenIDMetadataURL,
        tokenURL: String = defaultTokenURL, serviceURL: String = defaultServiceURL,
        sendRatePerSecond: Double = defaultSendRate, adminUsers: Set<String> = []
    ) {
        self.credentials = credentials
        self.openIDMetadataURL = openIDMetadataURL
        self.tokenURL = tokenURL
        self.serviceURL = serviceURL
        self.sendRatePerSecond = sendRatePerSecond
        self.adminUsers = adminUsers
    }

    init(reading source: ConfigurationSource) throws(ConfigurationError) {
        self.init()
        openIDMetadataURL = try source.read(.teamsOpenIDMetadataURL, Self.httpURL) ?? openIDMetadataURL
        tokenURL =
            try source.read(.teamsTokenURL) { text throws(InvalidConfigurationValue) in
                let url = try Self.httpURL(text)
                return url.hasSuffix("/") ? String(url.dropLast()) : url
            } ?? tokenURL
        issuer = try source.read(.teamsIssuer, Self.httpURL) ?? issuer
        tokenScope = try source.read(.teamsTokenScope, Self.httpURL) ?? tokenScope
        serviceURL =
            try source.read(.teamsServiceURL) { text throws(InvalidConfigurationValue) in
                let url = try Self.httpURL(text)
                return url.hasSuffix("/") ? url : url + "/"
            } ?? serviceURL
        sendRatePerSecond =
            try source.read(.teamsSendRate) { text throws(InvalidConfigurationValue) in
                try ConfigurationText.number(
                    text, in: SlackConfiguration.sendRates,
                    otherwise: "must be a number of messages per second from "
                        + "\(ConfigurationText.words(SlackConfiguration.sendRates)), got '\(text)'")
            } ?? sendRatePerSecond
        adminUsers = Set(source.list(.teamsAdminUsers).map { $0.lowercased() })
        credentials = try Self.credentials(reading: source)
    }

    private static func credentials(reading source: ConfigurationSource) throws(ConfigurationError) -> Credentials? {
        let idKey = ConfigurationKey.teamsAppID.environmentName
        let passwordKey = ConfigurationKey.teamsAppPassword.environmentName
        let appType =
            try source.read(.teamsAppType) { text throws(InvalidConfigurationValue) in
                guard let type = AppType.allValues.first(where: { $0.rawValue.lowercased() == text.lowercased() })
                else {
                    throw InvalidConfigurationValue(
                        "must be SingleTenant or MultiTenant (UserAssignedMSI works only inside Azure), got '\(text)'")
                }
                return type
            } ?? .singleTenant
        let tenantID = try source.read(.teamsTenantID) { text throws(InvalidConfigurationValue) in
            guard isGUID(text) else {
                throw InvalidConfigurationValue(
                    "must be the tenant's Directory ID, a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47")
            }
            return text.lowercased()
        }
        switch (source.text(.teamsAppID), source.text(.teamsAppPassword)) {
        case (nil, nil):
            return nil
        case (nil, _?):
            throw .missing(key: idKey, hint: "\(passwordKey) is set, so the Azure Bot's Microsoft App ID is needed too")
        case (_?, nil):
            throw .missing(
                key: passwordKey,
                hint:
                    "\(idKey) is set, so a client secret of its app registration (Certificates & secrets) is needed too"
            )
        case (let appID?, let password?):
            guard isGUID(appID) else {
                throw .invalid(key: idKey, reason: "must be the Azure Bot's Microsoft App ID, a GUID")
            }
            if appType == .singleTenant, tenantID == nil {
                throw .missing(
                    key: ConfigurationKey.teamsTenantID.environmentName,
                    hint: "a SingleTenant bot gets its token from its home tenant: set its Directory ID, or set "
                        + "\(ConfigurationKey.teamsAppType.environmentName)=MultiTenant for a bot registered as such")
            }
            return Credentials(appID: appID.lowercased(), password: password, tenantID: tenantID, appType: appType)
        }
    }

    private static func httpURL(_ text: String) throws(InvalidConfigurationValue) -> String {
        guard text.hasPrefix("https://") || text.hasPrefix("http://") else {
            throw InvalidConfigurationValue("must start with https:// (or http:// for a local fake)")
        }
        return text
    }

    /// `8-4-4-4-12` hexadecimal digits.
    static func isGUID(_ text: String) -> Bool { AdminCommand.isObjectID(text) }
}

extension TeamsConfiguration.AppType {
    static let allValues: [Self] = [.singleTenant, .multiTenant]
}
