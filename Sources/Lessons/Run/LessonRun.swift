import Patterns
import Simulation

/// A lesson being played: the cluster, the current step, its script's progress, and the history
/// needed to go back. Step 0 is the introduction; steps 1…n are the `## ` sections.
///
/// Going back an event does not keep a copy of the world per event (with a thousand nodes, two
/// thousand copies would be hundreds of megabytes). It keeps a checkpoint every `unitsPerCheckpoint`
/// undoable actions and a log of the actions since, and goes back by restoring the checkpoint
/// and replaying the log up to the action being undone. The simulation is deterministic, so the
/// replay lands on exactly the state the student saw; their own changes (a crash by hand) are
/// logged as inputs and replayed too. A run that is not interactive (`check`) keeps nothing.
public struct LessonRun<P: Pattern>: Sendable {
    /// What a checkpoint restores. The journal is not in it: it is shared history, truncated.
    struct State: Sendable {
        var cluster: Cluster<P.Node>
        var journalCount: Int
        var digest: UInt64
        var step: Int
        var runner: ScriptRunner<P>
        var failures: [RunFailure]
        var intervened: Bool
    }

    /// One thing that changed the run, as it can be done again.
    enum Action: Sendable {
        /// The script's next event, no later than the time given.
        case scriptEvent(until: SimTime)
        /// The cluster's next event, on its own.
        case freeEvent
        /// Time passing with nothing happening.
        case clock(SimTime)
        /// A change the student made by hand.
        case intervene(@Sendable (inout Cluster<P.Node>) -> String?)
    }

    /// A checkpoint and the actions after it; `units[k]` is where the k-th undoable unit starts.
    struct Segment: Sendable {
        /// Boxed: a segment is read at every event the player runs, and in the player's
        /// unspecialised generic code every read copied it; a copy of the checkpoint itself
        /// is a retain for each of the cluster's lists (a third of the time skipping took).
        let checkpoint: Checkpoint
        var start: State { checkpoint.state }
        var actions: [Action] = []
        var units: [Int] = []
        init(start: State) { checkpoint = Checkpoint(start) }
    }

    final class Checkpoint: Sendable {
        let state: State
        init(_ state: State) { self.state = state }
    }

    public let lesson: CompiledLesson<P>
    public private(set) var cluster: Cluster<P.Node>
    public private(set) var step = 0
    public private(set) var runner: ScriptRunner<P>
    /// Expectations that failed in the current step, as the student saw them.
    public private(set) var failures: [RunFailure] = []
    /// True once the student changed the run by hand (crash, partition, …) in this step.
    public private(set) var intervened = false

    /// A state with the journal it had: what a step boundary keeps (the journal there is whole,
    /// so going back to a step, or leaving a branch, shows the events that led to it).
    struct Mark: Sendable {
        var state: State
        var journal: Journal<P.Node.Message>
    }

    /// Where each step was left, as the student left it; `←` returns there.
    var stepHistory: [Mark] = []
    /// The lesson's own state at the end of each step (index 0: before the first), the one
    /// `check` verifies. Every step starts from it, whatever the student did in the step before.
    var ownEnds: [Mark?] = []
    /// The step whose changes by the student were set aside when the current step began.
    public private(set) var setAside: Int?
    /// An array, not a deque: only an array reads an element in place. `Deque`'s subscript
    /// copied the whole last segment (a checkpoint of the cluster, a retain for each of its
    /// lists) to ask how many units it held, at every event the player ran: skipping to the
    /// end of a long step took 35 times as long as `check`.
    var segments: [Segment] = []
    let interactive: Bool
    /// Undoable units between checkpoints, and checkpoints kept: the undo depth is their product.
    let unitsPerCheckpoint = 128
    let checkpointsKept = 16

    /// `interactive` keeps a bounded journal and an undo history (the player, for as long as a
    /// student likes); otherwise nothing is kept but the state itself (`check`).
    public init(_ lesson: CompiledLesson<P>, interactive: Bool) {
        self.lesson = lesson
        self.interactive = interactive
        cluster = lesson.makeCluster(journal: interactive ? .bounded(4_000) : .off)
        runner = ScriptRunner([])
        if interactive { ownEnds = [mark()] }
    }

    /// A run that keeps its whole journal and no undo history (tests, exports).
    public init(_ lesson: CompiledLesson<P>, journal: Journal<P.Node.Message>.Mode) {
        self.lesson = lesson
        interactive = false
        cluster = lesson.makeCluster(journal: journal)
        runner = ScriptRunner([])
    }

    public var stepCount: Int { lesson.steps.count }
    public var currentStep: CompiledLesson<P>.Step? { step == 0 ? nil : lesson.steps[step - 1] }
    public var scriptDone: Bool { runner.isDone }
    public var canGoBackEvent: Bool { segments.contains { !$0.units.isEmpty } }
    /// Undoable units kept right now (for tests and the benchmark).
    public var undoDepth: Int { segments.reduce(0) { $0 + $1.units.count } }

    // MARK: Steps

    /// Enters the next step; its script then runs as time is given to `advance`.
    ///
    /// The step starts from the lesson's own state, not from wherever the student took the
    /// cluster (running on, crashing nodes by hand): the next script was written, and checked,
    /// for that state. The student's branch is kept as the previous step's end, so `←` returns
    /// to it; `setAside` says that it happened.
    @discardableResult
    public mutating func nextStep() -> Bool {
        guard step < stepCount else { return false }
        setAside = nil
        if interactive {
            stepHistory.append(mark())
            let own = ownEnd(step)
            if !isAt(own) {
                setAside = step
                restore(own)
            }
        }
        begin(step + 1)
        return true
    }

    /// Returns to the previous step exactly as it was when the student left it.
    @discardableResult
    public mutating func previousStep() -> Bool {
        guard let m = stepHistory.popLast() else { return false }
        restore(m)
        segments.removeAll()
        setAside = nil
        return true
    }

    /// Starts the current step again from the lesson's own state (the student's changes in it
    /// are dropped; the steps before are kept as they were left).
    public mutating func restartStep() {
        guard interactive else { return }
        setAside = nil
        let k = step
        if k > 0 { restore(ownEnd(k - 1)); begin(k) }
        else { restore(ownEnd(0)); segments.removeAll() }
    }

    /// Goes to the start of step `n` (0: the introduction), as the lesson has it. The steps
    /// before are as the lesson left them, so `←` walks back through the lesson's own states.
    @discardableResult
    public mutating func goToStep(_ n: Int) -> Bool {
        guard interactive, (0...stepCount).contains(n) else { return false }
        setAside = nil
        if n == 0 {
            stepHistory = []
            restore(ownEnd(0))
            segments.removeAll()
            return true
        }
        stepHistory = (0..<n).map { ownEnd($0) }
        restore(ownEnd(n - 1))
        begin(n)
        return true
    }

    private mutating func begin(_ k: Int) {
        segments.removeAll()
        step = k
        runner = ScriptRunner(lesson.steps[k - 1].script)
        failures = []
        intervened = false
        cluster.log(.step, nil, nil, "step \(k): \(lesson.steps[k - 1].title)")
    }

    /// The lesson's own end of step `k`: kept when the student's run reached it untouched,
    /// otherwise worked out from the end of step `k - 1` by running step `k`'s script.
    mutating func ownEnd(_ k: Int) -> Mark {
        if k < ownEnds.count, let m = ownEnds[k] { return m }
        let before = ownEnd(k - 1)
        var side = self
        side.restore(before)
        side.begin(k)
        side.finishStep()
        let m = side.mark()
        keepOwnEnd(m, of: k)
        return m
    }

    private mutating func keepOwnEnd(_ m: Mark, of k: Int) {
        if ownEnds.count <= k { ownEnds += Array(repeating: nil, count: k + 1 - ownEnds.count) }
        ownEnds[k] = m
    }

    /// True once the script is over and the run has moved on from the lesson's own state (the
    /// cluster ran on, a node was crashed by hand): what the screen shows is the student's.
    public var offScript: Bool {
        guard runner.isDone else { return intervened }
        if intervened { return true }
        guard interactive, step < ownEnds.count, let own = ownEnds[step] else { return false }
        return !isAt(own)
    }

    /// Whether the run stands exactly where the lesson's own state `m` is. Same script, same
    /// number of events, same time and nothing done by hand: the same state (the simulation is
    /// deterministic).
    private func isAt(_ m: Mark) -> Bool {
        !intervened && runner.isDone && m.state.step == step
            && cluster.eventsProcessed == m.state.cluster.eventsProcessed && cluster.now == m.state.cluster.now
    }

    /// Called when the script may just have ended: a step run untouched by the student ends in
    /// the lesson's own state, which is then kept (so `→` need not work it out again).
    private mutating func noteScriptEnd() {
        guard interactive, runner.isDone, !intervened, step > 0 else { return }
        if step < ownEnds.count, ownEnds[step] != nil { return }
        // Only a step begun from the lesson's own state ends in it.
        keepOwnEnd(mark(), of: step)
    }

    /// Runs the current step's script to its end at once (`check`, `render`).
    public mutating func finishStep() {
        var f = failures
        _ = runner.advance(&cluster, failures: &f)
        failures = f
        noteScriptEnd()
    }

    // MARK: Time

    /// Lets simulated time run up to `target`: the script first, then (once it is done) the
    /// cluster on its own. Each event is undoable with `backEvent`. At most `maxEvents` events
    /// are processed, so a saturated cluster cannot hold the interface for long; the result
    /// says whether the target was reached.
    @discardableResult
    public mutating func advance(to target: SimTime, freeRun: Bool, maxEvents: Int = .max) -> Bool {
        var events = 0
        while true {
            guard events < maxEvents else { return false }
            if runner.isDone {
                guard freeRun else { return true }
                guard let nt = cluster.nextEventTime, nt <= target else {
                    if target > cluster.now { perform(.clock(target)) }
                    return true
                }
                beginUnit()
                perform(.freeEvent)
            } else {
                beginUnit()
                let before = cluster.eventsProcessed
                let progress = perform(.scriptEvent(until: target))
                events += cluster.eventsProcessed - before
                noteScriptEnd()
                if progress != .moved { endUnitIfNothingChanged(); return true }
                continue
            }
            events += 1
        }
    }

    /// One event forward (the `.` key): the script's next event, or the cluster's.
    public mutating func stepEvent() {
        beginUnit()
        if runner.isDone {
            if cluster.nextEventTime != nil { perform(.freeEvent) }
        } else {
            perform(.scriptEvent(until: .max))
            noteScriptEnd()
        }
        endUnitIfNothingChanged()
    }

    /// One event back (the `,` key). False at the start of the step's history.
    @discardableResult
    public mutating func backEvent() -> Bool {
        while var seg = segments.popLast() {
            guard let unit = seg.units.popLast() else { continue }
            restore(seg.start)
            let keep = Array(seg.actions[..<unit])
            for a in keep { replay(a) }
            seg.actions = keep
            segments.append(seg)
            return true
        }
        return false
    }

    /// A change the student makes by hand; undoable with `backEvent`.
    public mutating func intervene(_ body: @escaping @Sendable (inout Cluster<P.Node>) -> String?) -> String? {
        beginUnit()
        if interactive { segments[segments.count - 1].actions.append(.intervene(body)) }
        intervened = true
        return body(&cluster)
    }

    // MARK: History

    @discardableResult
    private mutating func perform(_ a: Action) -> ScriptRunner<P>.Progress {
        if interactive, !segments.isEmpty { segments[segments.count - 1].actions.append(a) }
        return replay(a)
    }

    /// Does an action; the same call when it is first done and when it is replayed.
    @discardableResult
    private mutating func replay(_ a: Action) -> ScriptRunner<P>.Progress {
        switch a {
        case .scriptEvent(let until):
            var f = failures
            let p = runner.advance(&cluster, maxEvents: 1, until: until, failures: &f)
            failures = f
            return p
        case .freeEvent:
            cluster.step()
        case .clock(let t):
            cluster.advance(to: t)
        case .intervene(let body):
            intervened = true
            _ = body(&cluster)
        }
        return .moved
    }

    /// Marks the start of an undoable unit, opening a new checkpoint when the last one is full.
    private mutating func beginUnit() {
        guard interactive else { return }
        if segments.isEmpty || segments[segments.count - 1].units.count >= unitsPerCheckpoint {
            segments.append(Segment(start: state()))
            if segments.count > checkpointsKept { segments.removeFirst() }
        }
        let k = segments.count - 1
        segments[k].units.append(segments[k].actions.count)
        unitStart = (cluster.journal.count, cluster.now, runner.pc, cluster.eventsProcessed)
    }

    private var unitStart: (Int, SimTime, Int, Int) = (0, 0, 0, 0)

    /// A unit that changed nothing (a key pressed at the very end of history) is not kept, so
    /// going back always shows something change.
    private mutating func endUnitIfNothingChanged() {
        guard interactive, let k = segments.indices.last, let u = segments[k].units.last else { return }
        if unitStart == (cluster.journal.count, cluster.now, runner.pc, cluster.eventsProcessed) {
            segments[k].units.removeLast()
            segments[k].actions.removeLast(segments[k].actions.count - u)
        }
    }

    private func state() -> State {
        var copy = cluster
        copy.journal = Journal(.off)   // the journal is shared history, kept once
        return State(cluster: copy, journalCount: cluster.journal.count, digest: cluster.journal.digest, step: step,
                     runner: runner, failures: failures, intervened: intervened)
    }

    private func mark() -> Mark { Mark(state: state(), journal: cluster.journal) }

    private mutating func restore(_ m: Mark) {
        restore(m.state)
        cluster.journal = m.journal
    }

    private mutating func restore(_ s: State) {
        var journal = cluster.journal
        cluster.journal = Journal(.off)
        journal.truncate(toCount: s.journalCount, digest: s.digest)
        cluster = s.cluster
        cluster.journal = journal
        step = s.step
        runner = s.runner
        failures = s.failures
        intervened = s.intervened
    }
}
