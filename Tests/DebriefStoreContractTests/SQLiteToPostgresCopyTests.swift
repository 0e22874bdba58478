import DebriefCore
import DebriefStore
import DebriefStoreSQLite
import DebriefStoreTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import DebriefStorePostgres

/// `debrief migrate --from sqlite://… --to postgres://…`: a SQLite installation copied into an empty PostgreSQL
/// database, byte for byte, or not at all. Runs when `DEBRIEF_TEST_POSTGRES_URL` names a server.
@Suite("SQLite to PostgreSQL copy", .enabled(if: StoreBackend.postgresServer != nil))
struct SQLiteToPostgresCopyTests {
    let day = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18
    let alice = DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U0001")
    let alicePseudonym = Pseudonym(rawValue: "p_alice")
    let bob = DeliveryAddress(platform: .teams, workspace: "tenant-1", userID: "29:bob")
    let bobPseudonym = Pseudonym(rawValue: "p_bob")

    /// A SQLite file store in a scratch directory, migrated, and its path.
    struct Source {
        let store: SQLiteStore
        let path: String
        let directory: URL

        init(pseudonymKey: PseudonymKeySource = .keptInDatabase, migrated: Bool = true) async throws {
            directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("debrief-copy-\(UUID().uuidString)", isDirectory: true)
            path = directory.appendingPathComponent("debrief.sqlite").path
            store = try SQLiteStore(location: .file(path: path), pseudonymKey: pseudonymKey)
            if migrated { try await store.migrate() }
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }

        /// The bytes of the database and its write-ahead log, to prove the copy wrote neither.
        func files() -> [Data?] {
            [path, path + "-wal"].map { FileManager.default.contents(atPath: $0) }
        }
    }

    /// A scratch database on the test server and a store on it, migrated the way the command does it.
    struct Target {
        let database: PostgresScratchDatabase
        let store: PostgresStore

        init(pseudonymKey: String) async throws {
            let server = try #require(StoreBackend.postgresServer)
            database = try await PostgresScratchDatabase.create(on: server)
            store = try PostgresStore(settings: database.settings, pseudonymKey: .configured(pseudonymKey))
            try await store.migrate()
        }

        func remove() async {
            store.close()
            await database.drop()
        }

        /// Runs `body` with a new target and drops it afterwards, passed or failed.
        static func with(pseudonymKey: String, _ body: (Target) async throws -> Void) async throws {
            let target = try await Target(pseudonymKey: pseudonymKey)
            do {
                try await body(target)
            } catch {
                await target.remove()
                throw error
            }
            await target.remove()
        }
    }

    /// Text with everything COPY's text format or SQL quoting gives a meaning: tab, newline, carriage return,
    /// backslashes, `\N` (COPY's NULL), `\.` (its end of data), quotes, and characters beyond ASCII.
    static let awkwardText = "Ünïcode ✓ \"quotes\" 'single'\ttab\nnew line\r\n\\N\n\\.\nback\\slash"
    /// Bytes likewise, for the blob columns.
    static let awkwardBytes = Data([0, 0x5C, 0x09, 0x0A, 0x0D, 0x4E, 0x2E, 0x7F, 0x80, 0xFF])

    func reflection(_ id: String, _ person: Pseudonym, text: String = "drafted a brief with AI") -> Reflection {
        Reflection(
            id: id, person: person, createdAt: day.addingTimeInterval(3_723), source: .modal, text: text,
            taskCategory: .drafting, tool: "Claude", outcome: .savedTime, minutesSaved: .upTo30, confidence: 4,
            blockers: [.trustInOutput, .noTime], consent: .anonymousQuote, trainingID: "t1")
    }

    /// Everything a running installation writes, through the store's own API: people with reflections and
    /// preferences, roles, a training with participants, jobs with sealed identifiers (one deleted, so the
    /// AUTOINCREMENT counter is above the highest id), a resolution report, nudge sends, a digest, a release, a
    /// channel, an installation event, an inbound delivery, a question answer, and the kept pseudonym key.
    func fill(_ store: SQLiteStore) async throws {
        try await store.recordReflection(reflection("r1", alicePseudonym), from: alice)
        try await store.recordReflection(
            reflection("r2", alicePseudonym, text: Self.awkwardText), from: alice)
        try await store.recordReflection(reflection("r3", bobPseudonym, text: ""), from: bob)
        // Bob found Alice's example useful (`/reflect ideas`).
        #expect(try await store.markIdeaUseful(reflectionID: "r1", by: bobPseudonym, at: day) == .counted)
        try await store.setPreferences(
            PersonPreferences(pausedUntil: day.addingTimeInterval(86_400.5), stopped: true), of: bobPseudonym)
        _ = try await store.assignRoles(
            [RoleAssignment(address: alice, pseudonym: alicePseudonym, roleLevel: "manager", team: "Sales")], at: day)
        let training = Training(
            id: "t1", workspace: "T0001", title: "Prompting for briefs", topic: "briefs", endedAt: day,
            sequenceID: "default", createdAt: day, unresolvedCount: 1)
        let participant = TrainingParticipant(pseudonym: alicePseudonym, address: alice, timeZone: "Europe/Berlin")
        try await store.registerTraining(
            training, participants: [participant],
            jobs: [
                NewJob(
                    kind: JobKind.nudgeSend.rawValue, parameters: Data("{\"stage\":1}".utf8), runAt: day,
                    dedupeKey: "nudge:p_alice/t1/d1/primary", bucket: "slack:T0001", maxAttempts: 5),
                NewJob(
                    kind: "training.resolve", parameters: Data("{\"trainingID\":\"t1\"}".utf8), runAt: day,
                    identifiers: JobIdentifiers(["users": ["U0009"], "emails": ["carol@example.com"]])),
                NewJob(
                    kind: "digest.post", parameters: Data("{}".utf8), runAt: day.addingTimeInterval(600),
                    dedupeKey: "cancel:me"),
            ])
        #expect(try await store.cancelJobs(dedupeKeyPrefix: "cancel:") == 1)
        try await store.recordResolution(
            trainingID: "t1", workspace: "T0001",
            report: TrainingResolutionReport(resolved: 1, unknownEmails: ["dave@example.com"]))
        try await store.recordNudgeSent(
            NudgeSendRecord(
                id: "n1", trainingID: "t1", person: alicePseudonym, stageID: "d1", kind: .primary, sentAt: day,
                channel: "D0001", messageTS: "1795000000.000100"))
        _ = try await store.recordNudgeResponse(id: "n1", response: .reflected, at: day.addingTimeInterval(60))
        _ = try await store.createDigest(
            StoredDigest(
                id: "d1", target: "leadership", week: "2026-W47", document: Self.awkwardBytes, createdAt: day))
        try await store.markDigestPosted(id: "d1", channel: "C0001", ts: "1795000001.000200", at: day)
        _ = try await store.createRelease(week: "2026-W47", release: Data("{\"cells\":[]}".utf8), at: day)
        try await store.recordChannel(
            PlatformChannel(
                platform: .teams, workspace: "tenant-1", teamID: "19:team@thread.tacv2",
                channelID: "19:team@thread.tacv2", name: "General", updatedAt: day))
        try await store.recordInstallationEvent(
            InstallationEvent(platform: .slack, workspace: "T0001", kind: .tokensRevoked, occurredAt: day))
        _ = try await store.recordInboundDelivery(
            InboundDelivery(platform: .slack, workspace: "T0001", deliveryID: "Ev01", kind: "event", receivedAt: day))
        try await store.recordLeaderResponse(
            LeaderResponse(
                id: "lr1", author: alicePseudonym, week: "2026-W47", text: Self.awkwardText,
                themes: [.blocker(.noAccess)], audience: .teams(["Sales"]), createdAt: day.addingTimeInterval(0.5)))
        try await store.recordQuestionAnswer(
            QuestionAnswer(
                id: "q1", person: alicePseudonym, questionID: "stay_human", choice: nil, text: Self.awkwardText,
                consent: .anonymousQuote, week: "2026-W47", reflectionID: "r1"))
        try await store.setHabit(
            HabitState(status: .active, intervalDays: 14, since: day, leaderAsksStopped: true), of: alicePseudonym)
        _ = try await store.recordHabitPrompt(
            HabitPromptRecord(
                id: "h1", slot: "offer", kind: .offer, sentAt: day, answer: .yes, answeredAt: day.addingTimeInterval(9)),
            of: alicePseudonym)
    }

    /// The copy as `debrief migrate --from --to` runs it, after its checks of the source.
    func copy(_ source: Source, into target: Target, configuredKey: String? = nil) async throws(StoreCopyError)
        -> [CopiedTable]
    {
        let export = try SQLiteTableExport(path: source.path)
        defer { export.close() }
        try await export.checkCopyable()
        _ = try await export.pseudonymKeyForCopy(configured: configuredKey)
        return try await target.store.importTables(from: export, batchSize: 2)
    }

    @Test("every table is copied, counted on both sides, and the SQLite file is left as it was")
    func copiesEveryTable() async throws {
        let source = try await Source()
        defer { source.remove() }
        try await fill(source.store)
        try await Target.with(pseudonymKey: try await source.store.pseudonymKey()) { target async throws in
            let before = source.files()
            let copied = try await copy(source, into: target)
            #expect(copied.map(\.table) == SQLiteTableExport.copiedTables)
            for table in copied {
                #expect(table.sourceRows == table.targetRows, "\(table.table)")
                #expect(table.sourceRows > 0, "the fixture fills \(table.table)")
            }
            #expect(copied.first { $0.table == "reflections" }?.targetRows == 3)
            #expect(copied.first { $0.table == "jobs" }?.targetRows == 2, "the cancelled job is gone in both")
            #expect(source.files() == before, "the source is opened read-only")
        }
    }

    @Test("values arrive byte for byte: sealed blobs, texts, times; 0/1 becomes a boolean")
    func copiesByteForByte() async throws {
        let source = try await Source()
        defer { source.remove() }
        try await fill(source.store)
        try await Target.with(pseudonymKey: try await source.store.pseudonymKey()) { target async throws in
            _ = try await copy(source, into: target)
            let export = try SQLiteTableExport(path: source.path)
            defer { export.close() }
            for table in PostgresTableImport.tables {
                var expected: [[StoreValue]] = []
                try await export.rows(of: table.name, columns: table.columnNames, batchSize: 100) { expected += $0 }
                let actual = try await targetRows(table, in: target)
                #expect(!actual.isEmpty, "\(table.name) is filled")
                #expect(actual.sorted(by: Self.ordered) == expected.sorted(by: Self.ordered), "\(table.name) differs")
            }
            // And equal to what was written, not only to what the reader read.
            let tables = Dictionary(uniqueKeysWithValues: PostgresTableImport.tables.map { ($0.name, $0) })
            let reflections = try await targetRows(try #require(tables["reflections"]), in: target)
            #expect(reflections.contains { $0[0] == .text("r2") && $0[4] == .text(Self.awkwardText) })
            let digests = try await targetRows(try #require(tables["digests"]), in: target)
            #expect(digests.map { $0[3] } == [.blob(Self.awkwardBytes)])
            let people = try await targetRows(try #require(tables["people"]), in: target)
            #expect(people.map { $0[4] }.sorted(by: { "\($0)" < "\($1)" }) == [.integer(0), .integer(1)], "stopped")
        }
    }

    @Test("the id sequences continue after the highest id SQLite ever issued, not only the highest kept")
    func sequencesContinue() async throws {
        let source = try await Source()
        defer { source.remove() }
        try await fill(source.store)
        try await Target.with(pseudonymKey: try await source.store.pseudonymKey()) { target async throws in
            _ = try await copy(source, into: target)
            // Three jobs were issued (ids 1 to 3); the third was cancelled, so only 1 and 2 are copied.
            #expect(try await nextID("jobs", in: target) == 4)
            #expect(try await nextID("installation_events", in: target) == 2)
        }
    }

    /// Needs the PostgreSQL store's protocol implementations (people, trainings, jobs, digests, channels).
    @Test("reading the copy through PostgresStore gives what the SQLite store gave")
    func readsBackTheSame() async throws {
        let source = try await Source()
        defer { source.remove() }
        try await fill(source.store)
        try await Target.with(pseudonymKey: try await source.store.pseudonymKey()) { target async throws in
            _ = try await copy(source, into: target)
            let copy = target.store
            for person in [alicePseudonym, bobPseudonym] {
                let exported = try #require(try await source.store.exportPerson(person))
                #expect(try await copy.exportPerson(person) == exported)
                #expect(try await copy.preferences(of: person) == (try await source.store.preferences(of: person)))
            }
            #expect(try await copy.deliveryAddress(of: alicePseudonym, platform: .slack) == alice)
            #expect(try await copy.deliveryAddress(of: bobPseudonym, platform: .teams) == bob)
            for id in Int64(1)...2 {
                let job = try #require(try await source.store.job(id: id))
                #expect(try await copy.job(id: id) == job)
            }
            #expect(
                try await copy.job(id: 2)?.identifiers
                    == JobIdentifiers(["users": ["U0009"], "emails": ["carol@example.com"]]))
            #expect(try await copy.resolutionReport(of: "t1") == (try await source.store.resolutionReport(of: "t1")))
            #expect(try await copy.nudgeSend(id: "n1") == (try await source.store.nudgeSend(id: "n1")))
            #expect(try await copy.nudgeSend(id: "n1")?.channel == "D0001")
            #expect(try await copy.digest(id: "d1") == (try await source.store.digest(id: "d1")))
            #expect(
                try await copy.releases(weeks: ["2026-W47"])
                    == (try await source.store.releases(weeks: ["2026-W47"])))
            #expect(try await copy.channels(platform: .teams) == (try await source.store.channels(platform: .teams)))
            #expect(try await copy.installationEvents(workspace: "T0001").count == 1)
            #expect(try await copy.pseudonymKey() == (try await source.store.pseudonymKey()))
            // The queue goes on where SQLite left it: new ids continue after 3 (the cancelled job's id is not
            // reused), dedupe keys still hold.
            let next = NewJob(kind: "digest.post", parameters: Data("{}".utf8), runAt: day, dedupeKey: "after-copy")
            #expect(try await copy.enqueue([next]) == 1)
            #expect(try await copy.job(id: 4)?.dedupeKey == "after-copy")
            let again = NewJob(
                kind: JobKind.nudgeSend.rawValue, parameters: Data("{}".utf8), runAt: day,
                dedupeKey: "nudge:p_alice/t1/d1/primary")
            #expect(try await copy.enqueue([again]) == 0)
        }
    }

    @Test("a target holding any row is refused and left exactly as it was")
    func refusesNonEmptyTarget() async throws {
        let source = try await Source()
        defer { source.remove() }
        try await fill(source.store)
        let key = try await source.store.pseudonymKey()
        try await Target.with(pseudonymKey: key) { target async throws in
            _ = try await copy(source, into: target)
            let before = try await target.store.nonEmptyTables()
            // A second copy of the same source (run twice by mistake) must not duplicate or mix anything.
            await #expect(throws: StoreCopyError.targetNotEmpty(before)) { try await copy(source, into: target) }
            #expect(try await target.store.nonEmptyTables() == before)
        }
        // One row anywhere is enough.
        try await Target.with(pseudonymKey: key) { target async throws in
            try await rawExecute(
                "INSERT INTO platform_channels (platform, workspace, team_id, channel_id, updated_at) "
                    + "VALUES ('teams', 'w', 't', 'c', 0)", in: target)
            let one = [StoreCopyError.TableCount(table: "platform_channels", rows: 1)]
            await #expect(throws: StoreCopyError.targetNotEmpty(one)) { try await copy(source, into: target) }
            #expect(try await target.store.nonEmptyTables() == one)
        }
    }

    @Test("a source without this version's migrations is refused without writing to it")
    func refusesUnmigratedSource() async throws {
        let source = try await Source(migrated: false)
        defer { source.remove() }
        let before = source.files()
        let export = try SQLiteTableExport(path: source.path)
        defer { export.close() }
        await #expect(
            throws: StoreCopyError.sourceNotMigrated(missing: [
                "v1-people-reflections", "v2-jobs", "v3-trainings", "v4-digests", "v5-digest-indexes",
                "v6-encrypted-addresses", "v7-digest-releases", "v8-platform-channels", "v9-leader-responses",
                "v10-question-answers",
                "v11-ideas",
                "v12-habits",
                "v13-ideas-consented-index",
                "v14-idea-contributors-index",
            ])
        ) { try await export.checkCopyable() }
        #expect(source.files() == before)
        #expect(throws: StoreCopyError.sourceMissing("no file at \(source.path).missing")) {
            try SQLiteTableExport(path: source.path + ".missing")
        }
    }

    @Test("the pseudonym key must open the source's sealed identifiers, and one must exist")
    func checksThePseudonymKey() async throws {
        let kept = try await Source()
        defer { kept.remove() }
        try await fill(kept.store)
        let keptExport = try SQLiteTableExport(path: kept.path)
        defer { keptExport.close() }
        let keptKey = try await kept.store.pseudonymKey()
        #expect(try await keptExport.pseudonymKeyForCopy(configured: nil) == keptKey)
        #expect(try await keptExport.pseudonymKeyForCopy(configured: keptKey) == keptKey)
        await #expect(throws: StoreCopyError.pseudonymKeyDoesNotOpen(configured: true)) {
            try await keptExport.pseudonymKeyForCopy(configured: String(repeating: "7", count: 64))
        }

        // A source run with DEBRIEF_PSEUDONYM_KEY keeps no key: the copy needs the same one configured.
        let configuredKey = String(repeating: "ab", count: 32)
        let configured = try await Source(pseudonymKey: .configured(configuredKey))
        defer { configured.remove() }
        try await fill(configured.store)
        let configuredExport = try SQLiteTableExport(path: configured.path)
        defer { configuredExport.close() }
        await #expect(throws: StoreCopyError.noPseudonymKey) {
            try await configuredExport.pseudonymKeyForCopy(configured: nil)
        }
        #expect(try await configuredExport.pseudonymKeyForCopy(configured: configuredKey) == configuredKey)
        await #expect(throws: StoreCopyError.pseudonymKeyDoesNotOpen(configured: true)) {
            try await configuredExport.pseudonymKeyForCopy(configured: keptKey)
        }
    }

    @Test("a value PostgreSQL cannot hold stops the copy, named by table and column, and nothing stays behind")
    func rollsBackOnAValueThatDoesNotFit() async throws {
        let source = try await Source()
        defer { source.remove() }
        try await fill(source.store)
        // SQLite's INTEGER holds 64 bits; the target's max_attempts is a 32-bit INTEGER. Jobs come after people,
        // addresses and reflections, which are inserted by then and must go again.
        try await source.store.enqueue([
            NewJob(kind: "digest.post", parameters: Data("{}".utf8), runAt: day, maxAttempts: 5_000_000_000)
        ])
        try await Target.with(pseudonymKey: try await source.store.pseudonymKey()) { target async throws in
            await #expect(
                throws: StoreCopyError.valueDoesNotFit(
                    table: "jobs", column: "max_attempts", found: "an integer beyond 32 bits", expected: "an INTEGER")
            ) { try await copy(source, into: target) }
            #expect(try await target.store.nonEmptyTables().isEmpty, "people and addresses were rolled back too")
        }
    }

    // MARK: - Reading the target directly

    /// The target's rows of a table as the source's storage classes (booleans as 0/1).
    func targetRows(_ table: PostgresTableImport.Table, in target: Target) async throws -> [[StoreValue]] {
        let sql = "SELECT \(table.columnNames.joined(separator: ", ")) FROM \(table.name)"
        return try await target.store.client.withConnection { connection in
            var rows: [[StoreValue]] = []
            for row in try await connection.rows(PostgresQuery(unsafeSQL: sql)) {
                let cells = row.makeRandomAccess()
                rows.append(
                    try table.columns.indices.map { index in
                        let cell = cells[index]
                        switch table.columns[index].type {
                        case .text: return try cell.decode(String?.self).map(StoreValue.text) ?? .null
                        case .bytea: return try cell.decode(Data?.self).map(StoreValue.blob) ?? .null
                        case .double: return try cell.decode(Double?.self).map(StoreValue.real) ?? .null
                        case .bigint: return try cell.decode(Int64?.self).map(StoreValue.integer) ?? .null
                        case .integer:
                            return try cell.decode(Int32?.self).map { StoreValue.integer(Int64($0)) } ?? .null
                        case .boolean:
                            return try cell.decode(Bool?.self).map { StoreValue.integer($0 ? 1 : 0) } ?? .null
                        }
                    })
            }
            return rows
        }
    }

    /// The id the table's identity column hands out next (without consuming it).
    func nextID(_ table: String, in target: Target) async throws -> Int64 {
        try await target.store.client.withConnection { connection in
            let rows = try await connection.rows(
                "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM \(unescaped: table)_id_seq")
            return try rows[0].decode(Int64.self)
        }
    }

    func rawExecute(_ sql: String, in target: Target) async throws {
        try await target.store.client.withConnection { connection in
            try await connection.execute(PostgresQuery(unsafeSQL: sql))
        }
    }

    static func ordered(_ left: [StoreValue], _ right: [StoreValue]) -> Bool {
        String(describing: left) < String(describing: right)
    }
}
