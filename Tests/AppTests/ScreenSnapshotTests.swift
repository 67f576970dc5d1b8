import Testing
import Experiments
import Patterns
@testable import App
import Canvas
import Lessons

@Suite struct ScreenSnapshotTests {
    @Test func introductionAt80x24() { assertSnapshot("intro-80x24", Fixtures.player(step: 0, width: 80, height: 24).view().text) }
    @Test func leaderElectedAt100x30() { assertSnapshot("step1-100x30", Fixtures.player(step: 1).view().text) }
    @Test func failedExpectationAndNetworkFaults() { assertSnapshot("step2-100x30", Fixtures.player(step: 2).view().text) }
    @Test func asciiGlyphs() { assertSnapshot("step1-ascii-80x24", Fixtures.player(step: 1, width: 80, height: 24, glyphs: .ascii).view().text) }
    /// The scenes of the gossip and membership patterns, as a student sees them at the sizes
    /// the student reviews used.
    @Test func gossipAndMembershipScreens() {
        func builtin(_ name: String) -> String { BuiltinLessons.all.first { $0.name == name }!.text }
        assertSnapshot("gossip-push-s-curve-80x24", Fixtures.player(lesson: builtin("gossip-push"), step: 4, width: 80, height: 24).view().text)
        assertSnapshot("gossip-push-pull-120x34", Fixtures.player(lesson: builtin("gossip-push-pull"), step: 4, width: 120, height: 34).view().text)
        assertSnapshot("gossip-anti-entropy-ring-100x30-ascii", Fixtures.player(lesson: builtin("gossip-anti-entropy"), step: 1, glyphs: .ascii).view().text)
        assertSnapshot("membership-heartbeat-false-80x24", Fixtures.player(lesson: builtin("membership-heartbeat"), step: 6, width: 80, height: 24).view().text)
        assertSnapshot("membership-swim-120x34", Fixtures.player(lesson: builtin("membership-swim"), step: 7, width: 120, height: 34).view().text)
    }

    @Test func resilienceScreens() {
        func builtin(_ name: String) -> String { BuiltinLessons.all.first { $0.name == name }!.text }
        assertSnapshot("resilience-breaker-open-80x24", Fixtures.player(lesson: builtin("resilience-breaker-trips"), step: 3, width: 80, height: 24).view().text)
        assertSnapshot("resilience-half-open-120x34", Fixtures.player(lesson: builtin("resilience-half-open"), step: 3, width: 120, height: 34).view().text)
        assertSnapshot("resilience-bulkhead-80x24-ascii", Fixtures.player(lesson: builtin("resilience-bulkhead"), step: 4, width: 80, height: 24, glyphs: .ascii).view().text)
        assertSnapshot("resilience-idempotency-100x30", Fixtures.player(lesson: builtin("resilience-idempotency"), step: 3).view().text)
        // The latency view of the queue lesson: v turns the sparklines to each quarter second's p99.
        var queues = Fixtures.player(lesson: builtin("resilience-queues"), step: 3, width: 100, height: 30)
        queues.update(.key(.char("v")))
        assertSnapshot("resilience-queues-p99-100x30", queues.view().text)
        // Little's law whole in ASCII at 80x24: λ spelt "lambda" had cut its result to "= ...".
        let slow = Fixtures.player(lesson: builtin("resilience-slow-calls"), step: 3, width: 80, height: 24, glyphs: .ascii).view().text
        let little = slow.split(separator: "\n").first { $0.contains("front: L ") }.map(String.init) ?? ""
        #expect(little.range(of: #"front: L [0-9.]+ ~ [0-9.]+/s x [0-9.]+m?s = [0-9.]+ "#, options: .regularExpression) != nil, "\(little)")
    }

    @Test func sagaAndEventSourcingScreens() {
        func builtin(_ name: String) -> String { BuiltinLessons.all.first { $0.name == name }!.text }
        assertSnapshot("saga-compensated-80x24", Fixtures.player(lesson: builtin("saga-compensation"), step: 4, width: 80, height: 24).view().text)
        assertSnapshot("saga-compensated-120x34", Fixtures.player(lesson: builtin("saga-compensation"), step: 4, width: 120, height: 34).view().text)
        assertSnapshot("saga-choreography-100x30-ascii", Fixtures.player(lesson: builtin("saga-choreography"), step: 3, glyphs: .ascii).view().text)
        assertSnapshot("saga-outbox-80x24", Fixtures.player(lesson: builtin("saga-outbox"), step: 3, width: 80, height: 24).view().text)
        assertSnapshot("eventsourcing-cursor-80x24", Fixtures.player(lesson: builtin("eventsourcing-cqrs"), step: 3, width: 80, height: 24).view().text)
        assertSnapshot("eventsourcing-lag-120x34", Fixtures.player(lesson: builtin("eventsourcing-cqrs"), step: 6, width: 120, height: 34).view().text)
    }

    /// Presenter mode at a projector's 60x18, a laptop's 80x24, 120x34 and a big screen's
    /// 200x60, for a lesson of every pattern (a Raft and a clocks lesson at every size).
    @Test func presenterScreens() {
        func builtin(_ name: String) -> String { BuiltinLessons.all.first { $0.name == name }!.text }
        func present(_ name: String, _ step: Int, _ w: Int, _ h: Int) -> String {
            let doc = LessonDocument(file: name + ".md", name: name, text: builtin(name))
            guard case .success(let s) = Catalog.open(doc, atStep: step, interactive: false) else { fatalError() }
            return AppModel(screen: .presenter(PresenterState(player: PlayerState(session: s))), width: w, height: h, glyphs: .unicode).view().text
        }
        for (w, h) in [(60, 18), (80, 24), (120, 34), (200, 60)] {
            assertSnapshot("present-raft-leader-crash-\(w)x\(h)", present("raft-leader-crash", 3, w, h))
            assertSnapshot("present-clocks-vector-\(w)x\(h)", present("clocks-vector", 3, w, h))
        }
        assertSnapshot("present-gossip-push-80x24", present("gossip-push", 3, 80, 24))
        assertSnapshot("present-membership-swim-80x24", present("membership-swim", 3, 80, 24))
        assertSnapshot("present-membership-swim-200x60", present("membership-swim", 5, 200, 60))
        assertSnapshot("present-resilience-breaker-80x24", present("resilience-breaker-trips", 3, 80, 24))
        assertSnapshot("present-resilience-healthy-200x60", present("resilience-breaker-trips", 1, 200, 60))
        assertSnapshot("present-saga-compensation-80x24", present("saga-compensation", 4, 80, 24))
        assertSnapshot("present-saga-isolation-200x60", present("saga-isolation", 5, 200, 60))
        assertSnapshot("present-eventsourcing-120x34", present("eventsourcing-cqrs", 3, 120, 34))
    }

    /// An experiment's report as a student reads it at 80 columns: a sweep against its formula,
    /// and one point's trials as a histogram, in Unicode and in ASCII.
    @Test func experimentReports() {
        func run(_ e: any Experiment.Type, _ settings: [(String, String)], trials: Int) -> ExperimentResult {
            try! ExperimentRunner.run(e, settings: settings, trials: trials, seed: 1, jobs: 2)
        }
        let sweep = run(RumorResidueExperiment.self, [("k", "1,2,3"), ("nodes", "300")], trials: 4)
        assertSnapshot("experiment-rumor-residue-80", (ExperimentReport.table(sweep) + [""]).joined(separator: "\n") + ExperimentReport.plot(sweep).text)
        var ascii = ExperimentReport.plot(sweep, glyphs: .ascii)
        ascii.foldToASCII()
        assertSnapshot("experiment-rumor-residue-80-ascii", ascii.text)
        let one = run(QueueLatencyExperiment.self, [("utilisation", "0.5"), ("seconds", "20")], trials: 40)
        assertSnapshot("experiment-queue-histogram-80", ExperimentReport.plot(one).text)
        var asciiHistogram = ExperimentReport.plot(one, glyphs: .ascii)
        asciiHistogram.foldToASCII()
        assertSnapshot("experiment-queue-histogram-80-ascii", asciiHistogram.text)
    }

    @Test func largeScreen() { assertSnapshot("step1-160x48", Fixtures.player(step: 1, width: 160, height: 48).view().text) }
    @Test func menu() { assertSnapshot("menu-80x24", Fixtures.menu().view().text) }
    @Test func tooSmall() { assertSnapshot("too-small-60x20", Fixtures.player(width: 60, height: 20).view().text) }

    @Test func helpOverlay() {
        var m = Fixtures.player(step: 1, width: 80, height: 24)
        m.update(.key(.char("?")))
        assertSnapshot("help-80x24", m.view().text)
    }

    @Test func fifteenNodesFit() {
        let text = Fixtures.lesson.replacing("seed: 1", with: "seed: 1\nnodes: 15").replacing("expect leader is n3", with: "expect leaders == 1")
        let doc = LessonDocument(file: "f.md", name: "f", text: text)
        guard case .success(let s) = Catalog.open(doc, atStep: 1) else { Issue.record("does not open"); return }
        let m = AppModel(screen: .player(PlayerState(session: s)), width: 80, height: 24, glyphs: .unicode)
        let screen = m.view().text
        assertSnapshot("fifteen-nodes-80x24", screen)
        for k in 1...15 { #expect(screen.contains("n\(k) "), "n\(k) missing") }
    }

    @Test func asciiScreensHaveOnlyASCII() {
        for step in 0...2 {
            let text = Fixtures.player(step: step, width: 80, height: 24, glyphs: .ascii).view().text
            #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "step \(step)")
        }
    }

    @Test func rolesAreToldApartWithoutColour() {
        // Every role carries its own glyph and word, so a monochrome screen still says who leads.
        let text = Fixtures.player(step: 2).view().text
        #expect(text.contains("✗ crashed"))
        #expect(text.contains("○ follower"))
        let elected = Fixtures.player(step: 1).view().text
        #expect(elected.contains("★ LEADER"))
    }
}
