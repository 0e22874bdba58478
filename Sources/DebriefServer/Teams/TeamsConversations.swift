import DebriefCore
import DebriefPrompts
import DebriefStore
import DebriefTeams
import Foundation
import Logging
import Synchronization

/// Keeps what Teams tells the bot about where people and channels are: each person's 1:1 conversation
/// (their delivery address, sealed with the other addresses, never beside their reflections) and zone, and the
/// teams and channels the bot was added to (digest destinations and the rosters of the directory).
struct TeamsConversations: Sendable {
    let store: any DebriefDataStore
    /// Re-plans a person whose zone Teams just told us (or changed); nil without trainings.
    let trainings: TrainingFeatures?
    let reflections: ReflectionService
    let platform: TeamsChatPlatform
    let background: BackgroundWork
    let logger: Logger
    let now: @Sendable () -> Date
    /// References already stored, so a chatty person costs one write per change, not one per message.
    let remembered = RememberedReferences()

    /// Stores the sender's conversation reference and zone from a personal chat, when new or changed.
    func remember(_ activity: Activity) async throws {
        guard activity.isPersonal, let user = activity.sender, let address = activity.senderAddress,
            address.conversation != nil
        else { return }
        let person = reflections.pseudonym(of: user)
        let zone = activity.senderTimeZone
        let fingerprint = [
            address.conversation?.conversationID, address.conversation?.serviceURL, address.conversation?.memberID,
            zone,
        ].map { $0 ?? "" }.joined(separator: "\n")
        guard remembered.isNew(person.value, fingerprint: fingerprint) else { return }
        do {
            let previousZone = zone == nil ? nil : try await store.timeZone(of: person)
            try await store.refreshPerson(address, pseudonym: person, timeZone: zone, at: now())
            // Nudges planned in the organisation's zone (or an old one) move to the person's own mornings.
            if let zone, zone != previousZone, let trainings, try await !trainings.store.trainingIDs(of: person).isEmpty
            {
                try await trainings.scheduler.replan(
                    person, platform: user.platform, workspace: user.workspace, now: now())
                trainings.wakeWorker()
            }
        } catch {
            remembered.forget(person.value)
            throw error
        }
    }

    /// `installationUpdate` and `conversationUpdate`: installs, uninstalls, channels appearing and going.
    func handle(_ activity: Activity) async throws {
        let botAdded = activity.membersAdded?.contains { $0.id == activity.recipient?.id } ?? false
        let botRemoved = activity.membersRemoved?.contains { $0.id == activity.recipient?.id } ?? false
        let action = activity.action ?? ""
        let removed = botRemoved || action.hasPrefix("remove")
        let eventType = activity.channelData?["eventType"]?.stringValue ?? ""
        if activity.isPersonal {
            guard let user = activity.sender ?? activity.installer else { return }
            if removed {
                // Uninstalled: the 1:1 chat is gone; nudges would fail, so the reference goes (the person stays).
                let person = reflections.pseudonym(of: user)
                remembered.forget(person.value)
                // Only for someone Debrief knows: an uninstall must not create a person.
                guard try await store.preferences(of: person) != nil else { return }
                try await store.refreshPerson(DeliveryAddress(user), pseudonym: person, timeZone: nil, at: now())
                return
            }
            try await remember(activity)
            if botAdded || action == "add" { welcome(activity) }
            return
        }
        guard let teamID = activity.teamID, let tenantID = activity.tenantID else { return }
        if removed || ["teamDeleted", "teamHardDeleted", "teamArchived"].contains(eventType) {
            try await store.removeChannels(platform: .teams, teamID: teamID)
            return
        }
        // The team's General channel has the team's id; a created or renamed channel comes in channelData.
        let channelID = activity.channelDataChannelID ?? teamID
        let name =
            activity.channelData?["channel"]?["name"]?.stringValue
            ?? (channelID == teamID ? "General" : nil)
        try await store.recordChannel(
            PlatformChannel(
                platform: .teams, workspace: tenantID, teamID: teamID, channelID: channelID, name: name,
                serviceURL: activity.serviceUrl, updatedAt: now()))
        if botAdded || action == "add" { announceChannel(activity, channelID: channelID) }
    }

    /// The welcome card in a new 1:1 chat: what Debrief keeps, who sees what, and the person's controls.
    private func welcome(_ activity: Activity) {
        let platform = self.platform
        let logger = self.logger
        background.submit("teams.welcome") {
            do {
                try await platform.reply(to: activity, card: WelcomeCard.card(texts: platform.texts))
            } catch {
                logger.warning("sending the Teams welcome failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Says in the team's channel that Debrief arrived and which id configures this channel for digests.
    private func announceChannel(_ activity: Activity, channelID: String) {
        let platform = self.platform
        let logger = self.logger
        let text = PromptTemplate.render(
            platform.texts.digest.channelAdded, ["channel_id": TeamsMarkup.escape(channelID)])
        background.submit("teams.channel") {
            do {
                try await platform.reply(
                    to: activity, card: AdaptiveCard.card(body: [AdaptiveCard.text(text)], fallbackText: text))
            } catch {
                logger.warning("announcing Debrief in a Teams channel failed", metadata: ["error": "\(error)"])
            }
        }
    }
}

extension Activity {
    /// Who installed the app in a personal `installationUpdate` (Teams puts them in `from`; older payloads list
    /// them among `membersAdded`).
    var installer: PlatformUser? {
        guard let tenantID,
            let member = membersAdded?.first(where: { $0.id != recipient?.id && $0.aadObjectId != nil }),
            let objectID = member.aadObjectId
        else { return nil }
        return PlatformUser(platform: .teams, workspace: tenantID, userID: objectID.lowercased())
    }
}

/// The conversation references stored since start, by pseudonym: a bounded memory of what is already in the
/// store (cleared when full; a miss only costs one write).
final class RememberedReferences: Sendable {
    private let entries = Mutex<[String: String]>([:])
    static let capacity = 50_000

    func isNew(_ key: String, fingerprint: String) -> Bool {
        entries.withLock { entries in
            if entries[key] == fingerprint { return false }
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = fingerprint
            return true
        }
    }

    func forget(_ key: String) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }
}
