import Canvas
import Lessons
import Patterns
import Scenes
import Simulation
import Quiz

/// A lesson run with its pattern type erased, as the player screen uses it. `Session` is the
/// one implementation; the pattern's own type only appears where a session is opened.
public protocol Playable: Sendable {
    var title: String { get }
    /// The lesson's name (its file name), under which its place is remembered.
    var lessonName: String { get }
    var step: Int { get }
    var stepCount: Int { get }
    var stepTitle: String? { get }
    /// The current step's speaker notes, and the next step's title (for the teacher's screen).
    var notes: [String] { get }
    var nextStepTitle: String? { get }
    /// The current step's `experiment` block, if it has one.
    var experiment: String? { get }
    var narration: [String] { get }
    /// Questions the current step asks when it is entered.
    var quizzes: [LessonQuiz] { get }
    var now: SimTime { get }
    var nodeCount: Int { get }
    var scriptDone: Bool { get }
    var failures: [RunFailure] { get }
    var intervened: Bool { get }
    /// Past the script, and moved on from where the lesson leaves the cluster.
    var offScript: Bool { get }
    var canGoBackEvent: Bool { get }
    var interactions: [(key: Character, label: String)] { get }
    /// Whether the interaction on `key` goes from the selected node to another one.
    func interactionNeedsTarget(_ key: Character) -> Bool
    func journal(last n: Int) -> [JournalEntry]
    func isUp(_ node: NodeID) -> Bool
    /// The node's name as the lesson and the screen call it.
    func nodeName(_ node: NodeID) -> String
    func drawScene(in rect: Rect, on canvas: inout Canvas, _ context: SceneContext)
    /// What is in flight now, for pacing the animation.
    var wire: Wire { get }
    /// The rate the current step asks for (`speed 1/20`), if it fixes one.
    var fixedRate: Double? { get }
    /// The selected node's whole state, for the detail panel.
    func nodeDetails(_ node: NodeID, width: Int, glyphs: GlyphSet) -> [StyledLine]
    func legend(_ glyphs: GlyphSet) -> [String]
    /// The network's faults in words (partitions, one-way cuts, lossy or slow links).
    func networkNotes(_ glyphs: GlyphSet) -> [String]

    /// The step whose changes by the student were set aside when the current step began.
    var setAside: Int? { get }
    mutating func nextStep() -> Bool
    mutating func previousStep() -> Bool
    /// The current step again from its start, as the lesson has it.
    mutating func restartStep()
    /// The start of step `n` (0: the introduction); false when there is no such step.
    mutating func goToStep(_ n: Int) -> Bool
    mutating func finishStep()
    /// Lets time run to `target`, doing at most `maxEvents` events; false when it stopped short.
    @discardableResult
    mutating func advance(to target: SimTime, freeRun: Bool, maxEvents: Int) -> Bool
    mutating func stepEvent()
    mutating func backEvent() -> Bool
    mutating func toggleCrash(_ node: NodeID) -> String
    mutating func isolate(_ node: NodeID) -> String
    mutating func heal() -> String
    /// Runs the pattern's interaction bound to `key` and returns a status line; nil when no
    /// interaction has that key.
    mutating func interact(_ key: Character, selected: NodeID?, target: NodeID?) -> String?
    /// Offers a key to the scene (event selection, scrolling); nil when it does not take it.
    mutating func sceneKey(_ key: SceneKey) -> String?
    var sceneKeys: [(String, String)] { get }
    func sceneNeeds(_ size: SizeClass) -> SceneNeeds
}

public struct Session<P: PatternScene>: Playable {
    public var run: LessonRun<P>
    public var view: P.ViewState

    public init(_ run: LessonRun<P>) { self.run = run; view = P.initialViewState() }

    public var title: String { run.lesson.title }
    public var lessonName: String { run.lesson.document.name }
    public var step: Int { run.step }
    public var stepCount: Int { run.stepCount }
    public var stepTitle: String? { run.currentStep?.title }
    public var notes: [String] { run.currentStep?.notes ?? [] }
    public var experiment: String? { run.currentStep?.experiment }
    public var nextStepTitle: String? { step < stepCount ? run.lesson.steps[step].title : nil }
    public var narration: [String] { run.currentStep?.narration ?? run.lesson.document.introduction }
    public var quizzes: [LessonQuiz] { run.currentStep?.quizzes ?? [] }
    public var now: SimTime { run.cluster.now }
    public var nodeCount: Int { run.cluster.size }
    public var scriptDone: Bool { run.scriptDone }
    public var failures: [RunFailure] { run.failures }
    public var intervened: Bool { run.intervened }
    public var offScript: Bool { run.offScript }
    public var canGoBackEvent: Bool { run.canGoBackEvent }
    public var interactions: [(key: Character, label: String)] { P.interactions.map { ($0.key, $0.label) } }
    public func journal(last n: Int) -> [JournalEntry] { run.cluster.journal.suffix(n) }
    public func isUp(_ node: NodeID) -> Bool { run.cluster.isUp[node] }
    public func nodeName(_ node: NodeID) -> String { run.cluster.name(node) }
    public func drawScene(in rect: Rect, on canvas: inout Canvas, _ context: SceneContext) {
        P.draw(run.cluster, view, in: rect, on: &canvas, context)
    }
    public var wire: Wire {
        let c = run.cluster
        guard c.inFlightCount > 0 else {
            // Quiet until the next event, or until the script's `run` ends if nothing at all
            // is scheduled (a lesson about clocks may just let time pass).
            let stop = [c.nextEventTime, run.runner.nextStop(now: c.now)].compactMap { $0 }.min()
            return Wire(quietFor: stop.map { max(0, $0 - c.now) })
        }
        // Hundreds of messages at once are a crowd, not a story: no single flight to follow.
        guard c.inFlightCount <= 50 else { var w = Wire(busy: true); w.steadyPace = P.steadyPace; return w }
        var shortest: SimTime?
        for e in c.inFlight where !P.isRoutine(e, in: c) {
            let flight = max(1, e.arrivesAt - e.sentAt)
            shortest = min(shortest ?? flight, flight)
        }
        if let shortest { return Wire(shortestFlight: shortest) }
        var w = Wire(routineOnly: true)
        w.steadyPace = P.steadyPace
        return w
    }

    public var fixedRate: Double? {
        for i in run.currentStep?.script ?? [] { if case .speed(let r) = i.value { return r } }
        return nil
    }

    public func nodeDetails(_ node: NodeID, width: Int, glyphs: GlyphSet) -> [StyledLine] {
        node < run.cluster.size ? P.details(of: node, in: run.cluster, width: width, glyphs: glyphs) : []
    }
    public func legend(_ glyphs: GlyphSet) -> [String] { P.legend(glyphs) }
    public func networkNotes(_ glyphs: GlyphSet) -> [String] {
        NetworkSummary.lines(run.cluster.network, topology: run.cluster.topology, glyphs: glyphs)
    }

    public var setAside: Int? { run.setAside }
    public mutating func nextStep() -> Bool { run.nextStep() }
    public mutating func previousStep() -> Bool { run.previousStep() }
    public mutating func restartStep() { run.restartStep() }
    public mutating func goToStep(_ n: Int) -> Bool { run.goToStep(n) }
    public mutating func finishStep() { run.finishStep() }
    public mutating func advance(to target: SimTime, freeRun: Bool, maxEvents: Int) -> Bool {
        run.advance(to: target, freeRun: freeRun, maxEvents: maxEvents)
    }
    public mutating func stepEvent() { run.stepEvent() }
    public mutating func backEvent() -> Bool { run.backEvent() }

    public mutating func toggleCrash(_ node: NodeID) -> String {
        _ = run.intervene { c in
            if c.isUp[node] { c.crash(node) } else { c.restart(node) }
            return nil
        }
        return run.cluster.isUp[node] ? "\(run.cluster.name(node)) restarted" : "\(run.cluster.name(node)) crashed"
    }

    public mutating func isolate(_ node: NodeID) -> String {
        _ = run.intervene { c in c.isolate(node, by: " (by hand)"); return nil }
        return "\(run.cluster.name(node)) isolated; h heals"
    }

    public mutating func heal() -> String {
        _ = run.intervene { c in c.heal(by: " (by hand)"); return nil }
        return "network healed"
    }

    public mutating func sceneKey(_ key: SceneKey) -> String? { P.handle(key, &view, run.cluster) }
    public var sceneKeys: [(String, String)] { P.sceneKeys }
    public func sceneNeeds(_ size: SizeClass) -> SceneNeeds { P.needs(nodes: run.cluster.size, size: size) }

    public func interactionNeedsTarget(_ key: Character) -> Bool {
        P.interactions.first { $0.key == key }?.needsTarget ?? false
    }

    public mutating func interact(_ key: Character, selected: NodeID?, target: NodeID?) -> String? {
        guard let i = P.interactions.first(where: { $0.key == key }) else { return nil }
        if let actTo = i.actTo {
            guard let from = selected, let to = target else { return "\(i.label): select a node, then press \(key) and the other node's number" }
            return run.intervene { c in actTo(&c, from, to) } ?? "\(i.label): \(run.cluster.name(from)) to \(run.cluster.name(to))"
        }
        let act = i.act
        return run.intervene { c in act(&c, selected) } ?? "\(i.label) sent"
    }
}
