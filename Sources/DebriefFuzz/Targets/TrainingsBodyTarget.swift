import DebriefCore
import DebriefServer
import Foundation

extension FuzzTarget {
    /// `POST /api/v1/trainings` bodies, from an LMS holding an admin token.
    static let trainingsBody = FuzzTarget(
        name: "trainings-body",
        summary: "the admin API's training body: JSON decoding and every check before the registrar"
    ) { input in
        for zone in FuzzZones.all.prefix(2) {
            switch ServerDecoders.trainingRequest(body: input.data, timeZone: zone) {
            case .success(let request):
                FuzzExpect.that(!request.title.isEmpty, "an accepted training has a title")
                FuzzExpect.that(
                    request.endedAt.timeIntervalSince1970.isFinite, "an accepted training ended at an instant")
                for case .email(let address) in request.participants {
                    FuzzExpect.that(AdminCommand.isEmail(address), "every accepted e-mail is an address")
                }
            case .failure(let refusal):
                FuzzExpect.that(
                    [400, 413, 422].contains(refusal.status), "a bad body is a 400, 413 or 422, not \(refusal.status)")
            }
        }
    }
}
