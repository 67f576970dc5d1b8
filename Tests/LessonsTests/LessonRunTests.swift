import Testing
@testable import Lessons
import Patterns
import Simulation

@Suite struct LessonRunTests {
    static let fixture = lessonText("title: Fixture\npattern: raft\nseed: 1", """
    Intro.

    ## Elect

    ```sim
    run until leader exists within 1s
    expect leader is n3
    ```

    ## Crash

    ```sim
    crash n3
    run until leader exists within 2s
    request a=1
    run 200ms
    expect committed == 1
    ```

    ## Partition

    ```sim
    partition n1 n2 | n3 n4 n5
    drop n4 -> n5 30%
    delay n1 <-> n2 20ms
    run 1s
    ```
    """)

    /// The example from the issue that specified the format, verbatim: every form in it must work.
    static let issueExample = """
    ---
    title: Raft: the first election
    pattern: raft
    nodes: 5
    seed: 7
    election-timeout: 150-300ms
    ---

    Introduction text, shown before the first step.

    ## Five followers wait

    Narration in Markdown: paragraphs, **bold**, *italic*, `code`, and bullet lists.

    ```sim
    run until n3 is candidate within 1s
    expect term == 1
    ```

    ## A leader emerges

    ```sim
    run until leader exists
    expect leader is n3
    crash n3
    run 400ms
    partition n1 n2 | n4 n5
    heal
    drop n1 -> n2 50%
    delay n4 <-> n5 80ms
    request x=1
    expect committed >= 1
    ```
    """

    @Test func theIssuesExampleParsesAndRuns() {
        let lesson = compiled(Self.issueExample)
        #expect(lesson.steps.count == 2)
        #expect(lesson.steps.map(\.script.count) == [2, 10])
        #expect(lesson.seed == 7)
        #expect(lesson.config.electionTimeout == 150_000...300_000)
        // Every instruction executes; whether n3 wins depends on the generator, so only the
        // absence of parse errors and that the run reached its end are asserted here.
        let run = LessonRun.atEndOfStep(2, of: lesson, journal: .everything)
        #expect(run.step == 2 && run.scriptDone)
        #expect(run.cluster.journal.entries.contains { $0.text.contains("partition n1 n2 | n4 n5") })
    }

    @Test func latencyCommands() {
        let lesson = compiled(lessonText(sim("latency 20-40ms\nlatency n1 -> n2 exp 30ms\nlatency n3 <-> n4 5ms")))
        let run = LessonRun.atEndOfStep(1, of: lesson, journal: .everything)
        #expect(run.cluster.network.latency == .uniform(20_000, 40_000))
        #expect(run.cluster.network.fault(Link(0, 1)).latency == .exponential(mean: 30_000))
        #expect(run.cluster.network.fault(Link(3, 2)).latency == .fixed(5_000))
        #expect(problems(lessonText(sim("latency fast"))).first?.contains("expected a duration") == true)
        #expect(problems(lessonText(sim("latency exp 0ms"))).first?.contains("between 1us and 10s") == true)
    }

    @Test func anExpectationThatFailsNamesStepLineAndWhatWasFound() {
        let text = Self.fixture.replacingOccurrences(of: "expect leader is n3", with: "expect leader is n1")
        let o = checkLesson(document(text), among: [Raft.self])
        #expect(o.failure == "Lessons/x.md:13:1: step 1 'Elect': expect leader is n1 — found leader n3 (term 1)")
    }

    @Test func runUntilGivesUpAfterSixtySecondsByDefault() {
        let o = checkLesson(document(lessonText(sim("crash n1\ncrash n2\ncrash n3\nrun until leader exists"))), among: [Raft.self])
        #expect(o.failure?.contains("did not happen within 60.000s (found no leader)") == true)
        #expect(o.simulated == 60_000_000)
    }

    @Test func sameLessonSameSeedSameJournal() {
        let a = LessonRun.atEndOfStep(3, of: compiled(Self.fixture), journal: .everything)
        let b = LessonRun.atEndOfStep(3, of: compiled(Self.fixture), journal: .everything)
        #expect(a.cluster.journal.text() == b.cluster.journal.text())
        #expect(a.cluster.journal.count > 200)
        let c = LessonRun.atEndOfStep(3, of: compiled(Self.fixture.replacingOccurrences(of: "seed: 1", with: "seed: 7")), journal: .everything)
        #expect(a.cluster.journal.text() != c.cluster.journal.text())
    }

    @Test func goingBackAStepRestoresExactlyTheStateThatStepEndedWith() {
        let lesson = compiled(Self.fixture)
        let reference = LessonRun.atEndOfStep(1, of: lesson, journal: .everything)
        var run = LessonRun(lesson, interactive: true)
        run.nextStep(); run.finishStep()
        run.nextStep(); run.finishStep()
        run.nextStep(); run.finishStep()
        #expect(run.step == 3)
        run.previousStep()
        run.previousStep()
        #expect(run.step == 1)
        #expect(run.cluster.now == reference.cluster.now)
        #expect(run.cluster.journal.text() == reference.cluster.journal.text())
        #expect(run.cluster.network.cuts.isEmpty)
        // And forward again reproduces the same future.
        run.nextStep(); run.finishStep()
        let step2 = LessonRun.atEndOfStep(2, of: lesson, journal: .everything)
        #expect(run.cluster.journal.text() == step2.cluster.journal.text())
    }

    @Test func theNextStepStartsFromTheLessonsOwnStateWhateverTheStudentDid() {
        let lesson = compiled(Self.fixture)
        let reference = LessonRun.atEndOfStep(2, of: lesson, journal: .everything)
        var run = LessonRun(lesson, interactive: true)
        run.nextStep(); run.finishStep()
        // The student runs on and crashes the node the next step crashes itself.
        run.advance(to: run.cluster.now + 3_000_000, freeRun: true)
        _ = run.intervene { c in c.crash(2); c.crash(0); return nil }
        let branchTime = run.cluster.now
        run.nextStep()
        #expect(run.setAside == 1)
        run.finishStep()
        #expect(run.failures.isEmpty)
        #expect(run.cluster.now == reference.cluster.now)
        #expect(run.cluster.eventsProcessed == reference.cluster.eventsProcessed)
        #expect(run.cluster.journal.digest == reference.cluster.journal.digest)
        // The student's branch is still there, one step back.
        run.previousStep()
        #expect(run.step == 1)
        #expect(run.cluster.now == branchTime)
        #expect(!run.cluster.isUp[0])
        // Untouched, nothing is set aside.
        var plain = LessonRun(lesson, interactive: true)
        plain.nextStep(); plain.finishStep()
        plain.nextStep()
        #expect(plain.setAside == nil)
    }

    @Test func restartingAStepAndJumpingToAStepLandOnTheLessonsOwnStates() {
        let lesson = compiled(Self.fixture)
        let endOf2 = LessonRun.atEndOfStep(2, of: lesson, journal: .everything)
        var startOf3 = endOf2
        startOf3.nextStep()
        var run = LessonRun(lesson, interactive: true)
        let went = run.goToStep(3)
        #expect(went && run.step == 3)
        #expect(!run.scriptDone)
        #expect(run.cluster.journal.digest == startOf3.cluster.journal.digest)
        run.finishStep()
        _ = run.intervene { c in c.crash(1); return nil }
        run.restartStep()
        #expect(run.step == 3 && !run.scriptDone && !run.intervened)
        #expect(run.cluster.now == endOf2.cluster.now)
        #expect(run.cluster.isUp[1])
        // ← from a jump walks back through the lesson's own ends.
        run.previousStep()
        #expect(run.step == 2)
        #expect(run.cluster.journal.digest == endOf2.cluster.journal.digest)
        let toStart = run.goToStep(0)
        #expect(toStart && run.step == 0 && run.cluster.now == 0)
        let beyond = run.goToStep(4), before = run.goToStep(-1)
        #expect(!beyond && !before)
    }

    @Test func eventByEventForwardThenBackIsExact() {
        var run = LessonRun(compiled(Self.fixture), interactive: true)
        run.nextStep()
        var journals: [String] = [run.cluster.journal.text()]
        var times: [SimTime] = [run.cluster.now]
        for _ in 0..<40 {
            run.stepEvent()
            journals.append(run.cluster.journal.text())
            times.append(run.cluster.now)
        }
        for k in stride(from: 39, through: 0, by: -1) {
            let went = run.backEvent()
            #expect(went)
            #expect(run.cluster.journal.text() == journals[k])
            #expect(run.cluster.now == times[k])
        }
        let wentPastStart = run.backEvent()
        #expect(!wentPastStart)
    }

    @Test func animatedPlaybackReachesTheSameStateAsCheck() {
        // The player advances in small slices of time; check runs each step at once. Both must agree.
        let lesson = compiled(Self.fixture)
        var run = LessonRun(lesson, interactive: true)
        for _ in 1...3 {
            run.nextStep()
            while !run.scriptDone { run.advance(to: run.cluster.now + 1_700, freeRun: false) }
        }
        let reference = LessonRun.atEndOfStep(3, of: lesson, journal: .everything)
        #expect(run.cluster.journal.count == reference.cluster.journal.count)
        #expect(run.cluster.now == reference.cluster.now)
        #expect(run.failures.isEmpty)
    }

    @Test func handsOnChangesAreUndoable() {
        var run = LessonRun(compiled(Self.fixture), interactive: true)
        run.nextStep(); run.finishStep()
        let before = run.cluster.journal.text()
        _ = run.intervene { c in c.crash(2); return nil }
        #expect(!run.cluster.isUp[2])
        #expect(run.intervened)
        let undone = run.backEvent()
        #expect(undone)
        #expect(run.cluster.isUp[2])
        #expect(!run.intervened)
        #expect(run.cluster.journal.text() == before)
    }

    @Test func aLongInteractiveSessionKeepsBoundedHistory() {
        var run = LessonRun(compiled(Self.fixture), interactive: true)
        run.nextStep(); run.finishStep()
        run.advance(to: 120_000_000, freeRun: true)   // two minutes of heartbeats
        #expect(run.cluster.journal.entries.count <= 4_000)
        #expect(run.cluster.journal.count > 4_000)
        #expect(run.undoDepth <= 64 * 32)
        #expect(run.canGoBackEvent)
    }
}

extension String {
    func replacingOccurrences(of a: String, with b: String) -> String { replacing(a, with: b) }
}
