import Foundation

extension BenchReplicas {
    /// Prints the summary, a figure per line with its target beside it; returns whether the run failed (anything
    /// lost, repeated beyond the in-flight bound, a digest not posted exactly once, a replica failing).
    func report(
        registered: Registered, sent: Sent, fake: BenchFakeSlack, sendClock: SendClock, phase1: ReplicaSet
    ) -> Bool {
        var tally = PostTally(people: people, digestChannel: Self.digestChannel)
        tally.add(fake.posts())
        let counts = fake.counts()
        var failures: [String] = []
        func mark(_ ok: Bool, _ reason: String) -> String {
            if !ok { failures.append(reason) }
            return ok ? "ok" : "FAILED"
        }

        print("")
        print("backend:          \(databaseBackendLine)")
        print(
            "replicas:         \(replicas) on one database, one fake Slack limited to \(BenchFanout.format(limit))/s,"
                + " one simulated clock (×\(BenchFanout.format(sendClock.speed)))")
        print("outcome:          \(sent.outcome)")
        print(
            "resolve:          \(registered.participants) of \(people) participants, \(registered.planned) nudges planned,"
                + " in \(BenchFanout.format(registered.seconds, digits: 1)) s; slowest status read"
                + " \(BenchFanout.format(registered.slowestStatusRead, digits: 2)) s"
                + (registered.slowestStatusRead > 3 ? " (SLOW: an admin would wait that long)" : ""))

        // Nudges: every person exactly once.
        let duplicates = tally.duplicates(postsBefore: sent.kill?.postsBefore)
        let inFlightBound = sent.kill.map { min($0.runningJobs, Self.jobsInFlightPerReplica) } ?? 0
        print(
            "nudges:           \(tally.nudgedPeople) of \(people) people got their d1 nudge; missed \(tally.missed)"
                + "   target 0 \(mark(tally.missed == 0, "\(tally.missed) people got no d1 nudge"))")
        print(
            "duplicates:       \(duplicates.acrossKill + duplicates.other) (\(duplicates.acrossKill) posted by the killed"
                + " replica and again after its lease ran out, \(duplicates.other) otherwise)"
                + "   target: 0 otherwise \(mark(duplicates.other == 0, "\(duplicates.other) nudges repeated without a kill to explain them")),"
                + " ≤ \(inFlightBound) across the kill"
                + " \(mark(duplicates.acrossKill <= inFlightBound, "\(duplicates.acrossKill) repeats across the kill exceed the \(inFlightBound) jobs in flight"))"
        )
        if let kill = sent.kill {
            print(
                "kill:             replica \(victim + 1) SIGKILLed at \(BenchFanout.format(BenchFanout.seconds(kill.at - sent.started), digits: 1)) s"
                    + " after \(kill.nudged) people were nudged; \(kill.runningJobs) nudge jobs claimed across the replicas"
                    + " then (in flight on the killed one: at most \(inFlightBound), its worker runs"
                    + " \(Self.jobsInFlightPerReplica) at once)"
                    + (kill.restarted.map {
                        "; restarted after \(BenchFanout.format(BenchFanout.seconds($0 - kill.at), digits: 1)) s"
                    } ?? "; NOT restarted"))
        } else if killAt > 0 {
            print(
                "kill:             never happened (the fan-out did not reach \(BenchFanout.format(killAt, digits: 2)))")
            failures.append("the replica was not killed")
        }
        if tally.otherPosts > 0 { print("other messages:   \(tally.otherPosts) (to people outside the training)") }

        // Reflections: everything acknowledged is stored.
        let acknowledged = sent.reflections.filter { $0.status == 200 }.count
        let cutOff =
            sent.kill.map { kill in
                sent.reflections.filter {
                    $0.replica == victim && $0.status != 200 && $0.started <= kill.at && $0.ended >= kill.at
                }.count
            } ?? 0
        let refused = sent.reflections.filter { $0.status == -1 }.count - cutOff
        var statuses: [Int: Int] = [:]
        for result in sent.reflections where result.status != 200 { statuses[result.status, default: 0] += 1 }
        let statusText = statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", ")
        print(
            "/reflect:         \(sent.reflections.count) sent to the replicas in turn (concurrency \(concurrency));"
                + " \(acknowledged) acknowledged (200)"
                + (statusText.isEmpty ? "" : "; others: \(statusText) (-1 = no answer)")
                + "; \(cutOff) cut off by the kill, \(max(0, refused)) refused while a replica was down")
        let storedOK = sent.stored >= acknowledged
        let afterCommit = sent.stored - acknowledged
        print(
            "stored:           \(sent.stored) reflections in the database; acknowledged ≤ stored"
                + " \(mark(storedOK, "\(acknowledged - sent.stored) acknowledged reflections are missing"))"
                + "; stored − acknowledged = \(afterCommit) (committed without a 200: at most the \(cutOff) cut off"
                + " by the kill \(mark(afterCommit <= cutOff, "\(afterCommit - cutOff) reflections were stored but answered with an error")))"
        )

        // Digest: once per target, with every replica's scheduler due at the same minute.
        print(
            "digest:           \(tally.digestPosts) post(s) in \(Self.digestChannel)"
                + (tally.digestThreadReplies > 0 ? " (+\(tally.digestThreadReplies) thread replies)" : "")
                + " with \(replicas) schedulers due at the same simulated minute (and one restarted)"
                + "   target exactly 1 \(mark(tally.digestPosts == 1, "the digest was posted \(tally.digestPosts) times"))"
        )

        reportRate(sent: sent, fake: fake)
        print("429s:             \(counts.rateLimited)   target 0 \(counts.rateLimited == 0 ? "met" : "MISSED")")

        // Processes.
        for (index, incarnations) in sent.replicaSet.incarnations.enumerated() {
            for incarnation in incarnations {
                let role =
                    incarnation.killed
                    ? "SIGKILLed" : "exit on SIGTERM \(incarnation.exitStatus.map(String.init) ?? "?")"
                let errors = sent.replicaSet.logLines(incarnation, containing: [" error ", " critical "])
                let lost = sent.replicaSet.logLines(incarnation, containing: ["job claim was lost"])
                print(
                    "replica \(index + 1):        pid \(incarnation.server.pid) port \(incarnation.server.port):"
                        + " peak memory \(BenchFanout.mebibytes(incarnation.peakKiB)) (VmHWM), \(role)"
                        + (errors > 0 ? ", \(errors) error lines in its log" : "")
                        + (lost > 0 ? ", \(lost) lost job claims" : ""))
                if !incarnation.killed, incarnation.exitStatus != 0 {
                    failures.append("replica \(index + 1) exited with status \(incarnation.exitStatus ?? -1)")
                }
            }
        }
        for (index, incarnations) in phase1.incarnations.enumerated() {
            for incarnation in incarnations where incarnation.exitStatus != 0 {
                failures.append(
                    "replica \(index + 1) exited with status \(incarnation.exitStatus ?? -1) after the resolve run")
            }
        }
        if !sent.complete {
            failures.append(sent.outcome)
            if tally.missed > 0, sent.outcome.contains("window closed") {
                print(
                    "hint:             a d1 nudge not sent before its window closes is skipped by design; this machine"
                        + " sent too slowly for --people \(people) at --limit \(BenchFanout.format(limit))")
            }
        }
        print("")
        if failures.isEmpty {
            print(
                "PASSED: nothing lost; \(duplicates.acrossKill) repeat(s) across the kill (bound \(inFlightBound));"
                    + " every acknowledged reflection stored; one digest")
        } else {
            print("FAILED: " + failures.joined(separator: "; "))
        }
        return !failures.isEmpty
    }

    var databaseBackendLine: String {
        databaseURL.hasPrefix("postgres")
            ? "PostgreSQL (a fresh database on the server given)" : "SQLite (one shared file)"
    }

    /// The fan-out rate while the queue held more due nudges than the limiter lets through, with every replica up
    /// (the outage from the kill to a second after the restart left out) and over the whole saturated period.
    func reportRate(sent: Sent, fake: BenchFakeSlack) {
        let arrivals = fake.arrivals()
        let threshold = Int(aggregateRate.rounded(.up))
        guard
            let saturated = BenchFanout.saturatedPeriod(
                sent.samples, threshold: threshold, firstArrival: arrivals.first)
        else {
            print("saturated:        never (the queue never held a second's worth of due nudges); no rate measured")
            return
        }
        let inside = arrivals.filter { $0 > saturated.from && $0 <= saturated.to }
        let whole = BenchFanout.seconds(saturated.to - saturated.from)
        var outage: (from: ContinuousClock.Instant, to: ContinuousClock.Instant)?
        if let kill = sent.kill {
            let to = (kill.restarted ?? sent.ended) + .seconds(1)
            let from = max(kill.at, saturated.from)
            let end = min(to, saturated.to)
            if end > from { outage = (from, end) }
        }
        let outageSeconds = outage.map { BenchFanout.seconds($0.to - $0.from) } ?? 0
        let upCount = inside.filter { arrival in outage.map { !(arrival > $0.from && arrival <= $0.to) } ?? true }.count
        let upSeconds = whole - outageSeconds
        print(
            "saturated:        \(BenchFanout.format(BenchFanout.seconds(saturated.from - sent.started), digits: 1))–"
                + "\(BenchFanout.format(BenchFanout.seconds(saturated.to - sent.started), digits: 1)) s of the send run,"
                + " \(inside.count) DMs (at least \(threshold) due nudges waiting at every sample)")
        if upSeconds > 1 {
            let rate = Double(upCount) / upSeconds
            let share = rate / limit
            print(
                "send rate:        \(BenchFanout.format(rate, digits: 1))/s with all \(replicas) replicas up"
                    + " (\(BenchFanout.format(upSeconds, digits: 1)) s) = \(BenchFanout.format(share, digits: 3)) of the"
                    + " workspace limit   target ≥ 0.95 \(share >= 0.95 ? "met" : "MISSED")")
        }
        if outageSeconds > 0 {
            let rate = Double(inside.count) / whole
            print(
                "                  \(BenchFanout.format(rate, digits: 1))/s = \(BenchFanout.format(rate / limit, digits: 3))"
                    + " over the whole saturated period, including \(BenchFanout.format(outageSeconds, digits: 1)) s"
                    + " with one replica down or starting")
        }
    }
}
