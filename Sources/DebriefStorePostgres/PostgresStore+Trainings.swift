import DebriefCore
import DebriefStore
import Foundation

// TEMPORARY STUBS on the pg-base branch: the helper that owns this file replaces every body.
extension PostgresStore: TrainingStore {
    public func registerTraining(_ training: Training, participants: [TrainingParticipant], jobs: [NewJob])
        async throws(StoreError)
    {
        throw .unexpected("PostgresStore.registerTraining is not written yet")
    }

    public func addTrainingParticipants(
        trainingID: String, workspace: String, participants: [TrainingParticipant], jobs: [NewJob], at now: Date
    ) async throws(StoreError) {
        throw .unexpected("PostgresStore.addTrainingParticipants is not written yet")
    }

    public func recordResolution(trainingID: String, workspace: String, report: TrainingResolutionReport)
        async throws(StoreError)
    {
        throw .unexpected("PostgresStore.recordResolution is not written yet")
    }

    public func planningInputs(of people: [Pseudonym]) async throws(StoreError) -> [Pseudonym: PersonPlanningInput] {
        throw .unexpected("PostgresStore.planningInputs is not written yet")
    }

    public func trainings(ids: [String]) async throws(StoreError) -> [String: Training] {
        throw .unexpected("PostgresStore.trainings is not written yet")
    }

    public func trainingIDs(of person: Pseudonym) async throws(StoreError) -> [String] {
        throw .unexpected("PostgresStore.trainingIDs is not written yet")
    }

    public func resolutionReport(of trainingID: String) async throws(StoreError) -> TrainingResolutionReport? {
        throw .unexpected("PostgresStore.resolutionReport is not written yet")
    }

    public func training(id: String) async throws(StoreError) -> Training? {
        throw .unexpected("PostgresStore.training is not written yet")
    }

    public func trainingSummaries() async throws(StoreError) -> [TrainingSummary] {
        throw .unexpected("PostgresStore.trainingSummaries is not written yet")
    }

    public func trainingSummary(id: String) async throws(StoreError) -> TrainingSummary? {
        throw .unexpected("PostgresStore.trainingSummary is not written yet")
    }

    public func isParticipant(_ person: Pseudonym, of trainingID: String) async throws(StoreError) -> Bool {
        throw .unexpected("PostgresStore.isParticipant is not written yet")
    }

    public func timeZone(of person: Pseudonym) async throws(StoreError) -> String? {
        throw .unexpected("PostgresStore.timeZone is not written yet")
    }

    public func deliveryAddress(of person: Pseudonym, platform: Platform) async throws(StoreError) -> DeliveryAddress? {
        throw .unexpected("PostgresStore.deliveryAddress is not written yet")
    }

    public func recordNudgeSent(_ record: NudgeSendRecord) async throws(StoreError) {
        throw .unexpected("PostgresStore.recordNudgeSent is not written yet")
    }

    public func nudgeSend(id: String) async throws(StoreError) -> NudgeSendRecord? {
        throw .unexpected("PostgresStore.nudgeSend is not written yet")
    }

    public func nudgeSends(to person: Pseudonym) async throws(StoreError) -> [NudgeSendRecord] {
        throw .unexpected("PostgresStore.nudgeSends is not written yet")
    }

    public func recordNudgeResponse(id: String, response: NudgeResponse, at: Date) async throws(StoreError) -> Bool {
        throw .unexpected("PostgresStore.recordNudgeResponse is not written yet")
    }

    public func trainingReflections(of person: Pseudonym) async throws(StoreError) -> [(trainingID: String, day: Date)]
    {
        throw .unexpected("PostgresStore.trainingReflections is not written yet")
    }

}
