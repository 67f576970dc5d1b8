import DequeModule
import Patterns
import Simulation

/// A lesson being played: the cluster, the current step, its script's progress, and the history
/// needed to go back. Step 0 is the introduction; steps 1…n are the `## ` sections.
///
/// Going back restores value snapshots rather than replaying: a snapshot is a copy of the cluster
/// (cheap, copy-on-write) taken without its journal, which is append-only and only truncated.
public struct LessonRun<P: Pattern>: Sendable {
    struct Snapshot: Sendable {
        var cluster: Cluster<P.Node>
        var journalCount: Int
        var step: Int
        var runner: ScriptRunner<P>
        var failures: [RunFailure]
        var intervened: Bool
    }

    public let lesson: CompiledLesson<P>
    public private(set) var cluster: Cluster<P.Node>
    public private(set) var step = 0
    public private(set) var runner: ScriptRunner<P>
    /// Expectations that failed in the current step, as the student saw them.
    public private(set) var failures: [RunFailure] = []
    /// True once the student changed the run by hand (crash, partition, …) in this step.
    public private(set) var intervened = false

    var stepHistory: [Snapshot] = []
    var eventHistory: Deque<Snapshot> = []
    let undoDepth: Int

    /// `interactive` keeps a bounded journal and undo history (the player, for as long as a
    /// student likes); otherwise the journal keeps everything and there is no undo (`check`).
    public init(_ lesson: CompiledLesson<P>, interactive: Bool) {
        self.lesson = lesson
        cluster = lesson.makeCluster(journalCapacity: interactive ? 4_000 : nil)
        runner = ScriptRunner([])
        undoDepth = interactive ? 2_000 : 0
    }

    public var stepCount: Int { lesson.steps.count }
    public var currentStep: CompiledLesson<P>.Step? { step == 0 ? nil : lesson.steps[step - 1] }
    public var scriptDone: Bool { runner.isDone }
    public var canGoBackEvent: Bool { !eventHistory.isEmpty }

    // MARK: Steps

    /// Enters the next step; its script then runs as time is given to `advance`.
    @discardableResult
    public mutating func nextStep() -> Bool {
        guard step < stepCount else { return false }
        stepHistory.append(snapshot())
        eventHistory.removeAll()
        step += 1
        runner = ScriptRunner(lesson.steps[step - 1].script)
        failures = []
        intervened = false
        return true
    }

    /// Returns to the previous step exactly as it was when the student left it.
    @discardableResult
    public mutating func previousStep() -> Bool {
        guard let s = stepHistory.popLast() else { return false }
        restore(s)
        eventHistory.removeAll()
        return true
    }

    /// Runs the current step's script to its end at once (`check`, `render`).
    public mutating func finishStep() {
        var f = failures
        _ = runner.advance(&cluster, failures: &f)
        failures = f
    }

    // MARK: Time

    /// Lets simulated time run up to `target`: the script first, then (once it is done) the
    /// cluster on its own. Each event is undoable with `backEvent`.
    public mutating func advance(to target: SimTime, freeRun: Bool) {
        while true {
            if runner.isDone {
                guard freeRun else { return }
                guard let nt = cluster.nextEventTime, nt <= target else { cluster.advance(to: target); return }
                remember()
                cluster.step()
            } else {
                remember()
                var f = failures
                let progress = runner.advance(&cluster, maxEvents: 1, until: target, failures: &f)
                failures = f
                if progress != .moved { forgetIfUnchanged(); return }
            }
        }
    }

    /// One event forward (the `.` key): the script's next event, or the cluster's.
    public mutating func stepEvent() {
        remember()
        if runner.isDone {
            if !cluster.step() { forgetIfUnchanged() }
        } else {
            var f = failures
            _ = runner.advance(&cluster, maxEvents: 1, failures: &f)
            failures = f
        }
    }

    /// One event back (the `,` key). False at the start of the step's history.
    @discardableResult
    public mutating func backEvent() -> Bool {
        guard let s = eventHistory.popLast() else { return false }
        restore(s)
        return true
    }

    /// A change the student makes by hand; undoable with `backEvent`.
    public mutating func intervene(_ body: (inout Cluster<P.Node>) -> String?) -> String? {
        remember()
        intervened = true
        return body(&cluster)
    }

    // MARK: Snapshots

    private func snapshot() -> Snapshot {
        var copy = cluster
        copy.journal = Journal()   // the journal is shared history, kept once
        return Snapshot(cluster: copy, journalCount: cluster.journal.count, step: step, runner: runner,
                        failures: failures, intervened: intervened)
    }

    private mutating func restore(_ s: Snapshot) {
        var journal = cluster.journal
        cluster.journal = Journal()
        journal.truncate(toCount: s.journalCount)
        cluster = s.cluster
        cluster.journal = journal
        step = s.step
        runner = s.runner
        failures = s.failures
        intervened = s.intervened
    }

    private mutating func remember() {
        guard undoDepth > 0 else { return }
        eventHistory.append(snapshot())
        if eventHistory.count > undoDepth { eventHistory.removeFirst() }
    }

    private mutating func forgetIfUnchanged() {
        guard let last = eventHistory.last else { return }
        if last.journalCount == cluster.journal.count, last.cluster.now == cluster.now,
           last.runner.pc == runner.pc, last.cluster.eventsProcessed == cluster.eventsProcessed {
            eventHistory.removeLast()
        }
    }
}
