import Patterns
import Simulation

/// The result of running a lesson headless, every step, every expectation.
public struct CheckOutcome: Sendable {
    public var name: String
    public var file: String
    public var steps: Int
    public var expectations: Int
    public var quizzes = 0
    public var simulated: SimTime
    public var events: Int
    /// Problems in the file itself; the lesson did not run.
    public var diagnostics: [Diagnostic] = []
    /// The first expectation that did not hold, formatted for a person.
    public var failure: String?
    public var passed: Bool { diagnostics.isEmpty && failure == nil }
}

extension LessonRun {
    /// Runs every step to its end; stops at the first failure (later ones would only echo it).
    public static func check(_ lesson: CompiledLesson<P>) -> CheckOutcome {
        var run = LessonRun(lesson, interactive: false)
        var outcome = CheckOutcome(name: lesson.document.name, file: lesson.document.file, steps: lesson.steps.count,
                                   expectations: 0, simulated: 0, events: 0)
        outcome.quizzes = lesson.steps.map(\.quizzes.count).reduce(0, +)
        outcome.expectations = lesson.steps.flatMap(\.script).filter {
            if case .expect = $0.value { return true } else { return false }
        }.count
        while run.nextStep() {
            run.finishStep()
            if let f = run.failures.first, let s = run.currentStep {
                outcome.failure = "\(lesson.document.file):\(f.line):1: step \(run.step) '\(s.title)': \(f.source) — \(f.message)"
                break
            }
        }
        outcome.simulated = run.cluster.now
        outcome.events = run.cluster.eventsProcessed
        return outcome
    }

    /// The run as it stands at the end of step `k` (0 = before the first step).
    public static func atEndOfStep(_ k: Int, of lesson: CompiledLesson<P>, interactive: Bool) -> LessonRun {
        var run = LessonRun(lesson, interactive: interactive)
        while run.step < k, run.nextStep() { run.finishStep() }
        return run
    }

    /// The same, keeping a journal of the given kind and no undo history (tests, `render`).
    public static func atEndOfStep(_ k: Int, of lesson: CompiledLesson<P>, journal: Journal<P.Node.Message>.Mode) -> LessonRun {
        var run = LessonRun(lesson, journal: journal)
        while run.step < k, run.nextStep() { run.finishStep() }
        return run
    }
}
