import DebriefCore
import DebriefStore
import DebriefStoreTestSupport
import Foundation
import Testing

/// The `TrainingStore` contract. Runs against every backend in `StoreBackend.all`.
@Suite("Training store", .cleansUpStores)
struct TrainingStoreTests {
    let ended = Date(timeIntervalSince1970: 1_795_190_400)

    func participant(_ user: String) -> TrainingParticipant {
        TrainingParticipant(
            pseudonym: Pseudonym(rawValue: "p_\(user)"),
            address: DeliveryAddress(platform: .slack, workspace: "T0001", userID: user), timeZone: "Europe/Berlin")
    }

    func nudgeJob(_ user: String, stage: String) -> NewJob {
        NewJob(
            kind: JobKind.nudgeSend.rawValue, parameters: Data("{}".utf8), runAt: ended.addingTimeInterval(86_400),
            dedupeKey: NudgeJobKey.key(plannerKey: "p_\(user)/t1/\(stage)/primary"),
            bucket: "slack:T0001", maxAttempts: 5)
    }

    @Test(
        "registering a training stores participants, time zones and jobs together; summaries hold counts only",
        arguments: StoreBackend.all)
    func register(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let training = Training(
            id: "t1", workspace: "T0001", title: "Prompting for briefs", topic: nil, endedAt: ended,
            sequenceID: "default", createdAt: ended, unresolvedCount: 2)
        try await store.registerTraining(
            training, participants: [participant("U1"), participant("U2")],
            jobs: [nudgeJob("U1", stage: "d1"), nudgeJob("U2", stage: "d1"), nudgeJob("U1", stage: "d3")])
        #expect(try await store.training(id: "t1") == training)
        #expect(try await store.isParticipant(Pseudonym(rawValue: "p_U1"), of: "t1"))
        #expect(try await store.timeZone(of: Pseudonym(rawValue: "p_U2")) == "Europe/Berlin")
        let summaries = try await store.trainingSummaries()
        #expect(summaries.count == 1)
        #expect(summaries[0].participants == 2)
        #expect(summaries[0].nudgesPending == 3)
        #expect(summaries[0].training.unresolvedCount == 2)
    }

    @Test(
        "a summary's status, counts and report are one read: resolving until the report is stored, then scheduled",
        arguments: StoreBackend.all)
    func statusWithCounts(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let training = Training(
            id: "t1", workspace: "T0001", title: "A", topic: nil, endedAt: ended, sequenceID: "default",
            createdAt: ended)
        try await store.registerTraining(training, participants: [], jobs: [])
        let accepted = try #require(try await store.trainingSummary(id: "t1"))
        #expect(accepted.status == .resolvingParticipants && accepted.participants == 0 && accepted.resolution == nil)

        // A batch of a resolution under way: counts so far, still resolving.
        try await store.addTrainingParticipants(
            trainingID: "t1", workspace: "T0001", participants: [participant("U1"), participant("U2")],
            jobs: [nudgeJob("U1", stage: "d1"), nudgeJob("U2", stage: "d1")], at: ended)
        let partial = try #require(try await store.trainingSummary(id: "t1"))
        #expect(partial.status == .resolvingParticipants && partial.participants == 2 && partial.resolution == nil)

        let report = TrainingResolutionReport(resolved: 2, unknownEmails: ["nobody@example.com"])
        try await store.recordResolution(trainingID: "t1", workspace: "T0001", report: report)
        let scheduled = try #require(try await store.trainingSummary(id: "t1"))
        #expect(scheduled.status == .scheduled)
        #expect(scheduled.participants == 2 && scheduled.nudgesPending == 2)
        #expect(scheduled.resolution == report)
        #expect(try await store.trainingSummaries() == [scheduled], "the list and the single read agree")
        #expect(try await store.trainingSummary(id: "unknown") == nil)
    }

    @Test("a failed registration leaves nothing behind", arguments: StoreBackend.all)
    func atomic(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let training = Training(
            id: "t1", workspace: "T0001", title: "A", topic: nil, endedAt: ended, sequenceID: "default",
            createdAt: ended)
        try await store.registerTraining(training, participants: [participant("U1")], jobs: [])
        // Same id again: the whole second registration must roll back, including its jobs and people.
        await #expect(throws: StoreError.self) {
            try await store.registerTraining(
                training, participants: [participant("U9")], jobs: [nudgeJob("U9", stage: "d1")])
        }
        #expect(try await store.exportPerson(Pseudonym(rawValue: "p_U9")) == nil)
        #expect(
            try await store.queueDepth(now: ended).values.reduce(0) { $0 + $1.pendingDue + $1.pendingScheduled } == 0)
    }

    @Test(
        "nudge sends and responses are recorded; erasure removes them and cancels pending nudges",
        arguments: StoreBackend.all)
    func sendsAndErasure(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let training = Training(
            id: "t1", workspace: "T0001", title: "A", topic: nil, endedAt: ended, sequenceID: "default",
            createdAt: ended)
        try await store.registerTraining(
            training, participants: [participant("U1"), participant("U2")],
            jobs: [nudgeJob("U1", stage: "d3"), nudgeJob("U2", stage: "d3")])
        let record = NudgeSendRecord(
            id: "n1", trainingID: "t1", person: Pseudonym(rawValue: "p_U1"), stageID: "d1", kind: .primary,
            sentAt: ended.addingTimeInterval(86_400), channel: "D1", messageTS: "1.2")
        try await store.recordNudgeSent(record)
        try await store.recordNudgeSent(record)  // idempotent
        #expect(try await store.recordNudgeResponse(id: "n1", response: .snoozed, at: ended))
        #expect(try await store.recordNudgeResponse(id: "nope", response: .snoozed, at: ended) == false)
        #expect(try await store.nudgeSend(id: "n1")?.response == .snoozed)
        #expect(try await store.nudgeSends(to: Pseudonym(rawValue: "p_U1")).count == 1)

        try await store.erasePerson(Pseudonym(rawValue: "p_U1"), address: participant("U1").address)
        #expect(try await store.nudgeSend(id: "n1") == nil)
        #expect(try await store.isParticipant(Pseudonym(rawValue: "p_U1"), of: "t1") == false)
        #expect(try await store.trainingSummaries().first?.nudgesPending == 1, "only U2's nudge is still pending")
        #expect(try await store.trainingSummaries().first?.participants == 1)
    }

    @Test(
        "erasure also removes the person's finished nudge jobs, whose keys carry the pseudonym",
        arguments: StoreBackend.all)
    func erasureRemovesFinishedJobs(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let training = Training(
            id: "t1", workspace: "T0001", title: "A", topic: nil, endedAt: ended, sequenceID: "default",
            createdAt: ended)
        try await store.registerTraining(
            training, participants: [participant("U1"), participant("U2")],
            jobs: [nudgeJob("U1", stage: "d3"), nudgeJob("U2", stage: "d3")])
        let claimed = try await store.claimJobs(
            kinds: [JobKind.nudgeSend.rawValue], limit: 2, worker: "w", leaseFor: .seconds(60),
            now: ended.addingTimeInterval(90 * 86_400))
        #expect(claimed.count == 2)
        for job in claimed { #expect(try await store.completeJob(id: job.id, worker: "w")) }
        try await store.erasePerson(Pseudonym(rawValue: "p_U1"), address: participant("U1").address)
        var remaining: [String] = []
        for job in claimed {
            if let kept = try await store.job(id: job.id) { remaining.append(kept.dedupeKey ?? "") }
        }
        #expect(remaining.count == 1 && remaining.allSatisfy { !$0.contains("p_U1") }, "\(remaining)")
    }

    @Test(
        "training to practice: participants who reflected, applied it (a real difference), and did so in two weeks",
        arguments: StoreBackend.all)
    func cohortCounts(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let training = Training(
            id: "t1", workspace: "T0001", title: "Prompting", topic: nil, endedAt: ended, sequenceID: "default",
            createdAt: ended)
        try await store.registerTraining(
            training, participants: ["U1", "U2", "U3", "U4", "U5", "U6"].map(participant), jobs: [])
        let later = Training(
            id: "t2", workspace: "T0001", title: "Not over yet", topic: nil,
            endedAt: ended.addingTimeInterval(30 * 86_400),
            sequenceID: "default", createdAt: ended)
        try await store.registerTraining(later, participants: [participant("U1")], jobs: [])
        let outsider = participant("U7")
        try await store.upsertPerson(outsider.address, pseudonym: outsider.pseudonym, at: ended)
        let day = ended.addingTimeInterval(86_400)
        let nextWeek = ended.addingTimeInterval(8 * 86_400)
        func reflect(_ user: String, _ at: Date, _ outcome: Outcome, training: String? = "t1") async throws {
            try await store.insertReflection(
                Reflection(
                    id: UUID().uuidString, person: Pseudonym(rawValue: "p_\(user)"), createdAt: at, source: .modal,
                    text: "x", outcome: outcome, trainingID: training))
        }
        try await reflect("U1", day, .savedTime)  // reflected, applied, and again next week: repeated
        try await reflect("U1", nextWeek, .noDifference)
        try await reflect("U2", day, .noDifference)  // reflected only
        try await reflect("U3", day, .betterQuality)  // applied twice in the same week: not repeated
        try await reflect("U3", day.addingTimeInterval(3_600), .betterQuality)
        try await reflect("U4", day, .savedTime, training: nil)  // not about the training
        try await reflect("U7", day, .savedTime)  // not a participant
        let cohorts = try await store.cohortStats(endedBefore: ended.addingTimeInterval(20 * 86_400))
        #expect(
            cohorts == [
                TrainingCohortStats(
                    trainingID: "t1", title: "Prompting", participants: 6, reflected: 3, applied: 2, repeated: 1)
            ])
    }

    @Test("resolution reports stored before unknown user ids were reported still read back")
    func olderReportsDecode() throws {
        let stored =
            #"{"resolved":3,"unknownEmails":["a@example.com"],"deactivatedUserIDs":["U9"],"unreadableSources":[]}"#
        let report = try JSONDecoder().decode(TrainingResolutionReport.self, from: Data(stored.utf8))
        #expect(report.unknownUserIDs.isEmpty)
        #expect(report.unresolvedCount == 2)
        let current = TrainingResolutionReport(resolved: 1, unknownUserIDs: ["UX"])
        #expect(try JSONDecoder().decode(TrainingResolutionReport.self, from: JSONEncoder().encode(current)) == current)
    }
}

extension TrainingStoreTests {
    @Test(
        "a later answer to a nudge replaces the earlier one (snoozed, then reflected from the nudge's form)",
        arguments: StoreBackend.all)
    func laterAnswerWins(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let training = Training(
            id: "t1", workspace: "T0001", title: "A", topic: nil, endedAt: ended, sequenceID: "default",
            createdAt: ended)
        try await store.registerTraining(training, participants: [participant("U1")], jobs: [])
        try await store.recordNudgeSent(
            NudgeSendRecord(
                id: "n1", trainingID: "t1", person: Pseudonym(rawValue: "p_U1"), stageID: "d1", kind: .primary,
                sentAt: ended.addingTimeInterval(86_400), channel: "D1", messageTS: "1.2"))
        #expect(try await store.recordNudgeResponse(id: "n1", response: .snoozed, at: ended.addingTimeInterval(90_000)))
        let reflectedAt = ended.addingTimeInterval(200_000)
        #expect(try await store.recordNudgeResponse(id: "n1", response: .reflected, at: reflectedAt))
        let stored = try #require(try await store.nudgeSend(id: "n1"))
        #expect(stored.response == .reflected && stored.respondedAt == reflectedAt)
        #expect(stored.channel == "D1", "the channel is sealed at rest and opens again")
        let planning = try await store.planningInputs(of: [
            Pseudonym(rawValue: "p_U1"), Pseudonym(rawValue: "p_nobody"),
        ])
        #expect(planning.count == 1)
        #expect(planning[Pseudonym(rawValue: "p_U1")]?.sends == [stored])
        #expect(planning[Pseudonym(rawValue: "p_U1")]?.trainingIDs == ["t1"])
        #expect(planning[Pseudonym(rawValue: "p_U1")]?.timeZone == "Europe/Berlin")
        #expect(
            try await store.deliveryAddress(of: Pseudonym(rawValue: "p_U1"), platform: .slack)
                == participant("U1").address)
    }
}

extension TrainingStoreTests {
    @Test(
        "the planner reads each person's trainings, sends and reflection days; trainings are found by id",
        arguments: StoreBackend.all)
    func planningReads(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        for id in ["t2", "t1"] {
            try await store.registerTraining(
                Training(
                    id: id, workspace: "T0001", title: "Training \(id)", topic: id == "t1" ? "prompts" : nil,
                    endedAt: ended, sequenceID: "default", createdAt: ended),
                participants: [participant("U1")], jobs: [])
        }
        let person = Pseudonym(rawValue: "p_U1")
        let reflectedAt = ended.addingTimeInterval(86_400 + 3_600)
        try await store.insertReflection(
            Reflection(
                id: "r1", person: person, createdAt: reflectedAt, source: .modal, text: "x", trainingID: "t1"))
        try await store.insertReflection(
            Reflection(id: "r2", person: person, createdAt: reflectedAt, source: .modal, text: "not a training"))

        // Reflections are kept to the (UTC) day: 21 November 2026, 00:00 UTC.
        let day = Date(timeIntervalSince1970: 1_795_219_200)
        let input = try #require(try await store.planningInputs(of: [person, person])[person])
        #expect(input.trainingIDs == ["t1", "t2"])
        #expect(input.trainingReflections == [TrainingReflectionDay(trainingID: "t1", day: day)])
        #expect(input.preferences == PersonPreferences() && input.timeZone == "Europe/Berlin")
        let days = try await store.trainingReflections(of: person)
        #expect(days.count == 1 && days.first?.trainingID == "t1" && days.first?.day == day)
        #expect(try await store.trainingIDs(of: person) == ["t1", "t2"])
        let found = try await store.trainings(ids: ["t1", "missing", "t1"])
        #expect(Array(found.keys) == ["t1"] && found["t1"]?.topic == "prompts")
        #expect(try await store.trainings(ids: []).isEmpty)
        #expect(try await store.planningInputs(of: []).isEmpty)
    }
}

extension TrainingStoreTests {
    @Test(
        "a nudge send's one read gives what the separate reads give: training, plan input, trainings, address, role",
        arguments: StoreBackend.all)
    func nudgeSendContext(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        for id in ["t1", "t2"] {
            try await store.registerTraining(
                Training(
                    id: id, workspace: "T0001", title: "Training \(id)", topic: nil, endedAt: ended,
                    sequenceID: "default", createdAt: ended),
                participants: id == "t1" ? [participant("U1"), participant("U2")] : [participant("U2")], jobs: [])
        }
        let one = Pseudonym(rawValue: "p_U1")
        let two = Pseudonym(rawValue: "p_U2")
        try await store.recordNudgeSent(
            NudgeSendRecord(
                id: "n1", trainingID: "t1", person: two, stageID: "d1", kind: .primary,
                sentAt: ended.addingTimeInterval(86_400), channel: "D2", messageTS: "1.2"))
        _ = try await store.assignRoles(
            [RoleAssignment(address: participant("U2").address, pseudonym: two, roleLevel: "leader", team: "Sales")],
            at: ended)

        // One training, the default role.
        let first = try await store.nudgeSendContext(of: one, trainingID: "t1", platform: .slack)
        #expect(first.training == (try await store.training(id: "t1")))
        #expect(first.planning == (try await store.planningInputs(of: [one])[one]))
        #expect(first.trainings == (try await store.trainings(ids: ["t1"])))
        #expect(first.address == participant("U1").address)
        #expect(first.roleLevel == (try await store.roleAndTeam(of: one)?.roleLevel))
        #expect(first.roleLevel != "leader")

        // Two trainings, a sent nudge, a leader.
        let second = try await store.nudgeSendContext(of: two, trainingID: "t2", platform: .slack)
        #expect(second.training?.id == "t2")
        #expect(second.planning == (try await store.planningInputs(of: [two])[two]))
        #expect(second.planning?.sends.map(\.id) == ["n1"])
        #expect(second.trainings == (try await store.trainings(ids: ["t1", "t2"])))
        #expect(second.trainings.count == 2)
        #expect(second.address == participant("U2").address)
        #expect(second.roleLevel == "leader")

        // No address on the other platform; an unknown training; an unknown (or erased) person.
        #expect(try await store.nudgeSendContext(of: one, trainingID: "t1", platform: .teams).address == nil)
        let gone = try await store.nudgeSendContext(of: one, trainingID: "deleted", platform: .slack)
        #expect(gone.training == nil && gone.planning != nil)
        let nobody = try await store.nudgeSendContext(
            of: Pseudonym(rawValue: "p_nobody"), trainingID: "t1", platform: .slack)
        #expect(
            nobody
                == NudgeSendContext(
                    training: try await store.training(id: "t1"), planning: nil, trainings: [:], address: nil,
                    roleLevel: nil))
    }
}
