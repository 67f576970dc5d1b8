import Testing
@testable import Lessons
@testable import Patterns
import Simulation

/// Raft with a small event limit, so a runaway lesson reaches it quickly in a debug build.
enum CappedRaft: Pattern {
    typealias Node = RaftNode
    static let name = "raft"
    static let summary = Raft.summary
    static var settings: [SettingSpec] { Raft.settings }
    static func config(_ s: Settings) throws(Diagnostic) -> RaftConfig { try Raft.config(s) }
    static var roles: [String] { Raft.roles }
    static func role(of id: NodeID, in c: Cluster<RaftNode>) -> String { Raft.role(of: id, in: c) }
    static var commands: [CommandSpec<CappedRaft>] { [] }
    static func perform(_ command: Raft.Command, on c: inout Cluster<RaftNode>) -> String? { Raft.perform(command, on: &c) }
    static var queries: [QuerySpec<CappedRaft>] { [] }
    static var predicateForms: [String] { Raft.predicateForms }
    static func parsePredicate(_ w: inout Words) throws(Diagnostic) -> Raft.Predicate? { try Raft.parsePredicate(&w) }
    static func evaluate(_ p: Raft.Predicate, in c: Cluster<RaftNode>) -> Verdict { Raft.evaluate(p, in: c) }
    static var interactions: [Interaction<CappedRaft>] { [] }
    static var limits: PatternLimits { PatternLimits(lessonEvents: 20_000) }
}

/// What the spine issue asked of lessons: limits inside a run, pause, ranges, bounded undo.
@Suite struct SpineLessonTests {
    @Test func aLimitIsEnforcedInsideARunAndNamesItsLine() {
        let text = lessonText("title: Storm\npattern: raft\nnodes: 3\nelection-timeout: 1ms-1ms", "Intro.\n\n" + sim("run 1s\nrun 600s\nexpect leader exists"))
        guard case .success(let lesson) = CompiledLesson<CappedRaft>.compile(document(text)) else { Issue.record("compile"); return }
        let o = LessonRun<CappedRaft>.check(lesson)
        #expect(o.failure?.contains("x.md:14:1: step 1 'Step': run 600s — the lesson reached its limit of 20000 events") == true)
        #expect(o.events == 20_000)
        #expect(o.simulated < 600_000_000)
    }

    @Test func pauseAndResumeFromALesson() {
        let text = lessonText("title: P\npattern: raft\nseed: 1", "Intro.\n\n" + sim("""
        run until leader is n3 within 1s
        pause n3 2s
        expect n3 is paused
        run until leader exists and term == 2 within 2s
        expect n3.term == 1
        run 2s
        expect n3 is follower and n3.term == 2
        """))
        let o = checkLesson(document(text), among: [Raft.self])
        #expect(o.passed, "\(o.failure ?? "") \(o.diagnostics)")
    }

    @Test func rangesNameManyNodesAndBadRangesSayWhy() {
        let ok = compiled(lessonText("title: R\npattern: raft\nnodes: 7", "Intro.\n\n" + sim("partition n1..n3 | n4..n7")))
        guard case let .partition(groups, _) = ok.steps[0].script[0].value else { Issue.record("not a partition"); return }
        #expect(groups == [[0, 1, 2], [3, 4, 5, 6]])
        #expect(problems(lessonText("Intro.\n\n" + sim("partition n4..n2 | n5"))).first?.contains("runs backwards") == true)
        #expect(problems(lessonText("Intro.\n\n" + sim("partition n1..n9 | n5"))).first?.contains("no node n9") == true)
        // An end past any integer is a node no cluster has, not a malformed range.
        let huge = problems(lessonText("Intro.\n\n" + sim("crash n1..n99999999999999999999"))).first
        #expect(huge?.contains("no node n99999999999999999999: this cluster has n1 … n5") == true, "\(huge ?? "accepted")")
        #expect(problems(lessonText("Intro.\n\n" + sim("partition n1..n3 | n3"))).first?.contains("n3 is named twice") == true)
        #expect(problems(lessonText("Intro.\n\n" + sim("pause n2 0ms"))).first?.contains("a pause lasts") == true)
        // Faults take ranges too, all or nothing.
        let faults = lessonText("title: R\npattern: raft\nnodes: 7", "Intro.\n\n" + sim("""
        crash n5..n7
        expect n5 is crashed and n6 is crashed and n7 is crashed and n4 is follower
        restart n5..n6
        expect n5 is follower and n7 is crashed
        pause n1..n2
        expect n1 is paused and n2 is paused
        resume n1..n2
        expect n1 is follower
        """))
        let o = checkLesson(document(faults), among: [Raft.self])
        #expect(o.passed, "\(o.failure ?? "") \(o.diagnostics)")
        let half = checkLesson(document(lessonText("title: R\npattern: raft\nnodes: 7", "Intro.\n\n" + sim("crash n3\ncrash n2..n4"))), among: [Raft.self])
        #expect(half.failure?.contains("n3 is already crashed") == true, "\(half.failure ?? "passed")")
    }

    /// A node's question about itself (its own φ) reads 0 for ever: refused in both spellings.
    @Test func anEdgeQueryJoinsTwoDifferentNodes() {
        func problemsOf(_ line: String) -> [String] {
            checkLesson(document(lessonText("title: M\npattern: membership\ndetector: phi", "Intro.\n\n" + sim(line))), among: [Membership.self]).diagnostics.map(\.description)
        }
        #expect(problemsOf("expect n1->n1.phi == 0").first?.contains("an edge joins two different nodes, found n1->n1") == true, "\(problemsOf("expect n1->n1.phi == 0"))")
        #expect(problemsOf("expect n1.phi(n1) == 0").first?.contains("phi is asked of another node, found n1.phi(n1)") == true)
        #expect(problemsOf("expect n1->n2.phi == 0").isEmpty && problemsOf("expect n1.phi(n2) == 0").isEmpty)
    }

    /// φ comes from heartbeats: under SWIM (the default) and gossip it would read 0 for ever, so
    /// `expect n1->n2.phi < 8` would pass for nothing. Refused in both spellings; heartbeat is fine.
    @Test func phiIsRefusedWhereNoHeartbeatsAreSent() {
        func problemsOf(_ detector: String?, _ line: String) -> [String] {
            let front = "title: M\npattern: membership" + (detector.map { "\ndetector: \($0)" } ?? "")
            return checkLesson(document(lessonText(front, "Intro.\n\n" + sim(line))), among: [Membership.self]).diagnostics.map(\.description)
        }
        for detector in [nil, "swim", "gossip"] {
            let edge = problemsOf(detector, "expect n1->n2.phi < 8"), call = problemsOf(detector, "run until n1.phi(n2) > 1")
            let says = "phi is worked out from heartbeats, which the \(detector ?? "swim") detector does not send"
            #expect(edge.first?.contains(says) == true && call.first?.contains(says) == true, "\(edge) \(call)")
        }
        #expect(problemsOf("heartbeat", "expect n1->n2.phi < 8").isEmpty)
    }

    @Test func undoCrossesCheckpointsExactlyAndStaysBounded() {
        var run = LessonRun(compiled(LessonRunTests.fixture), interactive: true)
        run.nextStep(); run.finishStep()
        run.advance(to: run.cluster.now + 200_000, freeRun: true)
        var journals: [String] = [run.cluster.journal.text()]
        var digests: [UInt64] = [run.cluster.journal.digest]
        for k in 0..<300 {
            if k == 150 { _ = run.intervene { c in c.crash(0); return nil } } else { run.stepEvent() }
            journals.append(run.cluster.journal.text())
            digests.append(run.cluster.journal.digest)
        }
        for k in stride(from: 299, through: 0, by: -1) {
            let went = run.backEvent()
            #expect(went)
            #expect(run.cluster.journal.digest == digests[k])
            if k % 37 == 0 { #expect(run.cluster.journal.text() == journals[k]) }
        }
        // Far more events than the undo depth: what is kept stays bounded.
        run.advance(to: run.cluster.now + 60_000_000, freeRun: true)
        #expect(run.undoDepth <= 64 * 32)
        #expect(run.undoDepth > 1_000)
    }

    @Test func aHeadlessRunKeepsNoHistory() {
        var run = LessonRun(compiled(LessonRunTests.fixture), interactive: false)
        run.nextStep(); run.finishStep()
        #expect(run.cluster.journal.entries.isEmpty && run.cluster.journal.count > 0)
        #expect(!run.canGoBackEvent && run.undoDepth == 0)
    }

    @Test func theClocksEventLookupAgreesWithTheHistory() {
        var c = Cluster<ClockNode>(size: 4, config: ClockConfig(), seed: 2, network: Network(latency: .uniform(1_000, 40_000)))
        var rng = SplitMix64(seed: 8)
        for _ in 0..<300 {
            let a = Int(rng.next(below: 4))
            if rng.chance(ppm: 500_000) { _ = Clocks.perform(.send(a, (a + 1) % 4, "m"), on: &c) }
            else { _ = Clocks.perform(.event(a, "x"), on: &c) }
            c.advance(to: c.now + rng.next(in: 100...5_000))
        }
        let h = History(c)
        #expect(h.count > 300)
        for k in 0..<h.count { #expect(Clocks.event(k, in: c)?.ref == h.events[k].ref) }
        #expect(Clocks.event(h.count, in: c) == nil)
    }
}

/// A busy clocks run lets its oldest events go, so its memory stays flat; ids stay stable.
@Suite struct ClockHistoryBoundTests {
    func busy(seconds: Int64) -> Cluster<ClockNode> {
        var config = ClockConfig()
        config.workload = 1_000
        var c = Cluster<ClockNode>(size: 15, config: config, seed: 3, journal: Journal(.off))
        c.advance(to: seconds * 1_000_000)
        return c
    }

    @Test func theHistoryIsBoundedAndIdsStayStable() {
        let c = busy(seconds: 4)
        let h = History(c)
        let total = c.nodes.reduce(0) { $0 + $1.eventCount }
        #expect(total > 50_000)
        #expect(h.count <= ClockNode.maxKept + compactionInterval)
        #expect(h.dropped + h.count == total)
        // The kept events are exactly the newest: every dropped stamp is older than every kept one.
        #expect(h.id(0) == "e\(h.dropped + 1)")
        for k in stride(from: 0, to: h.count, by: 97) { #expect(Clocks.event(h.dropped + k, in: c)?.ref == h.events[k].ref) }
        #expect(Clocks.event(h.dropped - 1, in: c) == nil)
        let gone = Clocks.evaluate(.happenedBefore(0, h.dropped + 1), in: c)
        #expect(!gone.holds && gone.found.contains("e1 is no longer kept"))
        let kept = Clocks.evaluate(.happenedBefore(h.dropped, h.dropped + h.count - 1), in: c)
        #expect(kept.found.hasPrefix("e\(h.dropped + 1)"))
    }

    @Test func receivedLabelsAreKeptOnce() {
        let c = busy(seconds: 1)
        #expect(c.nodes.allSatisfy { $0.received.count <= 1 })   // the sandbox only ever sends "m"
    }
}

/// A paused node: bounded inbox, no commands taken, not the leader; the hour limit is inclusive.
@Suite struct PausedNodeTests {
    @Test func aPausedLeaderIsNotTheLeaderAndTakesNoRequests() {
        let text = lessonText("title: P\npattern: raft\nseed: 1", "Intro.\n\n" + sim("""
        run until leader is n3 within 1s
        pause n3
        expect no leader and leaders == 0 and up == 5
        expect n3 is paused
        request x=1
        request y=2 to n3
        expect committed == 0
        """))
        guard case .success(let l) = CompiledLesson<Raft>.compile(document(text)) else { Issue.record("compile"); return }
        var run = LessonRun<Raft>(l, journal: .everything)
        run.nextStep(); run.finishStep()
        #expect(run.failures.isEmpty, "\(run.failures)")
        let journal = run.cluster.journal.text()
        #expect(journal.contains("request x=1 rejected: no leader") && journal.contains("request y=2 failed: n3 is paused"))
    }

    @Test func aCommandOnAPausedProcessFailsAndSaysWhy() {
        let text = lessonText("title: P\npattern: clocks\nnodes: 3", "Intro.\n\n" + sim("pause n2\nevent n2 \"a\""))
        let o = checkLesson(document(text), among: [Clocks.self])
        #expect(o.failure?.contains("n2 is paused: it has no events until it runs again") == true, "\(o.failure ?? "")")
    }

    @Test func aPausedNodesInboxIsBounded() {
        var c = Cluster<RaftNode>(size: 3, config: RaftConfig(), seed: 2, network: Network(latency: .fixed(1_000)))
        _ = c.run(until: { Raft.leader(in: $0) != nil }, within: 2_000_000)
        let follower = (Raft.leader(in: c)! + 1) % 3
        c.pause(follower)
        var config = c.nodes[0].config
        config.heartbeat = 1_000
        for n in 0..<3 { c.reconfigure(n) { $0.config = config } }
        c.advance(to: c.now + 3_000_000)        // thousands of heartbeats to a paused follower
        #expect(c.waiting(at: follower) == Cluster<RaftNode>.inboxCapacity)
        #expect(c.journal.entries.contains { $0.text.hasSuffix("[n\(follower + 1)'s inbox is full]") })
    }

    @Test func aLessonOfExactlyOneHourPassesAndAnyMoreStops() {
        let hour = String(repeating: "run 600s\n", count: 6)
        let ok = checkLesson(document(lessonText("title: H\npattern: raft\nnodes: 1", "Intro.\n\n" + sim(hour + "expect time == 3600000"))), among: [Raft.self])
        #expect(ok.passed, "\(ok.failure ?? "")")
        let over = checkLesson(document(lessonText("title: H\npattern: raft\nnodes: 1", "Intro.\n\n" + sim(hour + "run 1ms"))), among: [Raft.self])
        #expect(over.failure?.contains("run 1ms — the lesson reached its limit of 1 hour of simulated time at 3600.000s") == true, "\(over.failure ?? "")")
    }
}
