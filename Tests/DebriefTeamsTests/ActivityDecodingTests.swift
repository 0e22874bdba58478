import DebriefCore
import DebriefTeams
import Foundation
import Testing

@Suite("Bot Framework activities")
struct ActivityDecodingTests {
    @Test("a Teams personal message decodes with its sender, tenant, zone and service URL")
    func personalMessage() throws {
        let json = Data(
            """
            {"type":"message","id":"1485983408511","timestamp":"2026-12-07T08:00:00.000Z",
             "localTimezone":"Europe/Berlin","serviceUrl":"https://smba.trafficmanager.net/emea/","channelId":"msteams",
             "from":{"id":"29:1XJK","name":"Megan Bowen","aadObjectId":"7faf8ab2-0000-0000-0000-000000000001"},
             "conversation":{"conversationType":"personal","tenantId":"tenant-1","id":"a:17I0kl"},
             "recipient":{"id":"28:app-id","name":"Debrief"},"text":"reflect Used Copilot for notes",
             "channelData":{"tenant":{"id":"tenant-1"}},"somethingNew":{"x":1}}
            """.utf8)
        let activity = try JSONDecoder().decode(Activity.self, from: json)
        #expect(activity.type == ActivityType.message)
        #expect(activity.from?.aadObjectId == "7faf8ab2-0000-0000-0000-000000000001")
        #expect(activity.conversation?.tenantId == "tenant-1")
        #expect(activity.localTimezone == "Europe/Berlin")
        #expect(activity.channelData?["tenant"]?["id"]?.stringValue == "tenant-1")
    }
}
