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
