import Testing
@testable import Lessons
import Patterns

/// Mistakes in saga and event-sourcing lessons: one clear message each, never a crash.
@Suite struct SagaLessonDiagnosticsTests {
    func problemsOf(_ front: String, _ lines: String) -> [String] {
        checkLesson(document(lessonText("title: T\n" + front, sim(lines))), among: [Saga.self, EventSourcing.self]).diagnostics.map(\.description)
    }

    @Test func nodesInASagaLessonIsOneMessageNotACrash() {
        // It crashed: the lesson went on with numbered nodes, which are no services.
        #expect(problemsOf("pattern: saga\nnodes: 5", "start saga") == ["Lessons/x.md:4:8: a saga lesson's nodes come from its steps (and style); leave out 'nodes'"])
    }

    @Test func aBadStepIsReportedOnce() {
        let p = problemsOf("pattern: saga\nsteps: order.create bogus.step", "start saga")
        #expect(p.count == 1 && p[0].contains("unknown step 'bogus.step'"), "\(p)")
        #expect(problemsOf("pattern: saga\nstyle: anarchy", "start saga").count == 1)
        #expect(problemsOf("pattern: saga\nsteps: order.create order.create payment.charge!", "start saga").first?.contains("twice") == true)
    }

    @Test func aSemanticLockNeedsAStepThatLiftsIt() {
        let p = problemsOf("pattern: saga\nsemantic-lock: yes", "start saga")
        #expect(p.count == 1 && p[0].contains("needs inventory.confirm"), "\(p)")
        // Set in the middle of a lesson, it fails when it runs, with the same reason.
        let o = checkLesson(document(lessonText("title: T\npattern: saga", sim("set semantic-lock yes"))), among: [Saga.self])
        #expect(o.failure?.contains("needs inventory.confirm") == true, "\(String(describing: o.failure))")
    }

    @Test func aClusterWideQueryAskedOfANodeSaysSo() {
        let p = problemsOf("pattern: eventsourcing", "expect account.version == 0")
        #expect(p.first?.contains("version is asked of the whole lesson, not of a node") == true, "\(p)")
    }
}

/// The realism settings: with equal timeouts and timers that fire exactly on time, five
/// servers stay in lockstep and never elect; a millisecond of timer jitter breaks the tie.
@Suite struct RealismSettingsTests {
    func lesson(_ extra: String) -> String {
        "---\ntitle: T\npattern: raft\nelection-timeout: 150-150ms\n\(extra)---\n\n## S\n\n```sim\nrun until leader exists within 120s\nexpect leaders == 1\n```\n"
    }

    @Test func timerJitterBreaksTheLockstepOfEqualTimeouts() {
        let exact = checkLesson(document(lesson("")), among: [Raft.self])
        #expect(exact.failure?.contains("did not happen") == true)
        let real = checkLesson(document(lesson("timer-jitter: 1ms\nprocessing: 0.1-0.5ms\n")), among: [Raft.self])
        #expect(real.passed, "\(String(describing: real.failure))")
        #expect(problems(lessonText("title: T\npattern: raft\ntimer-jitter: soon", "## S\n")).first?.contains("timer-jitter") == true)
    }
}
