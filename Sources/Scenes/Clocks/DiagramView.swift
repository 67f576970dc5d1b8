import Canvas
import Patterns
import Simulation

/// What the student has selected on the diagram, and how far it is scrolled.
public struct DiagramView: Sendable, Equatable {
    /// The selected event, by its number from 0 (e1 is 0), if any. Numbers, not places in the
    /// history, so a selection stays on its event when old events are let go.
    public var selected: Int?
    /// An event pinned for comparison with the selection.
    public var pinned: Int?
    /// Columns scrolled back from the newest events (0 follows the newest).
    public var back = 0
    /// The widest the process names and clocks on the left may be (the printed diagram keeps it
    /// to a third of the page, not of its whole length).
    public var gutterLimit: Int?
    public init() {}
}

extension Clocks: PatternScene {
    public typealias ViewState = DiagramView
    public static func initialViewState() -> DiagramView { DiagramView() }

    /// A diagram grows sideways with every event: give it more of the width than a ring needs.
    /// Beyond ten processes the event log's rows go to the diagram: at 80x24 a line per process
    /// fits only without it.
    public static func needs(nodes: Int, size: SizeClass) -> SceneNeeds {
        SceneNeeds(minHeight: nodes + 2, widthShare: 64, wantsEventLog: nodes <= 10)
    }

    public static let sceneKeys: [(String, String)] = [("[ ]", "event"), ("Tab", "process"), ("Enter", "pin"), ("< >", "scroll")]

    public static func handle(_ key: SceneKey, _ view: inout DiagramView, _ c: Cluster<ClockNode>) -> String? {
        if key == .escape {
            if view.pinned != nil { view.pinned = nil; return "pin cleared" }
            if view.selected != nil { view.selected = nil; return "event selection cleared" }
            return nil
        }
        let h = History(c)
        guard h.count > 0 else {
            return [.char("["), .char("]"), .tab, .backTab, .enter].contains(key) ? "no events yet" : nil
        }
        // Places in the history while handling the key; numbers in the view.
        let current = view.selected.flatMap(h.rank(ofNumber:))
        var selected = current
        defer { view.selected = selected.map { h.dropped + $0 } }
        switch key {
        case .char("]"): selected = min(h.count - 1, (current ?? -1) + 1)
        case .char("["): selected = max(0, (current ?? h.count) - 1)
        case .tab, .backTab:
            // The nearest event, in order, on the next (or previous) process that has one.
            let from = current ?? h.count - 1
            let p0 = h.events[from].process
            for step in 1...c.size {
                let p = (p0 + (key == .tab ? step : c.size * step - step)) % c.size
                let candidates = h.events.indices.filter { h.events[$0].process == p }
                if let best = candidates.min(by: { abs($0 - from) < abs($1 - from) }) { selected = best; break }
            }
        case .enter:
            guard let s = current else { return "select an event first ([ or ])" }
            if view.pinned == h.dropped + s { view.pinned = nil; return "unpinned \(h.id(s))" }
            view.pinned = h.dropped + s
            return "pinned \(h.id(s)): select another event to compare"
        case .char("<"): view.back += 4; return "scrolled back"
        case .char(">"): view.back = max(0, view.back - 4); return view.back == 0 ? "following the newest events" : "scrolled forward"
        default: return nil
        }
        return selected.map { "selected \(h.id($0))" }
    }
}
