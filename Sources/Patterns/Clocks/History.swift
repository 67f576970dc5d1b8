import Simulation

/// Every process's events in one global order, numbered e1, e2, … as the diagram shows them,
/// and the happened-before relation read off the vector clocks.
public struct History: Sendable {
    public let events: [ClockEvent]
    let index: [EventRef: Int]

    public init(_ c: Cluster<ClockNode>) {
        // Handler calls are globally ordered by stamp; events within one call by their index.
        let all = c.nodes.flatMap(\.events).sorted { ($0.stamp, $0.ref) < ($1.stamp, $1.ref) }
        events = all
        var idx: [EventRef: Int] = [:]
        for (k, e) in all.enumerated() { idx[e.ref] = k }
        index = idx
    }

    public var count: Int { events.count }
    public func id(_ k: Int) -> String { "e\(k + 1)" }
    public func position(of ref: EventRef) -> Int? { index[ref] }

    /// The event whose receive matches a send, if it arrived.
    public func receive(of send: Int) -> Int? {
        let ref = events[send].ref
        return events.firstIndex { if case .receive(_, let s) = $0.kind { return s == ref } else { return false } }
    }

    /// a → b (happened before), by vector clocks.
    public func happenedBefore(_ a: Int, _ b: Int) -> Bool { Causality.compare(events[a].vc, events[b].vc) == .before }
    public func concurrent(_ a: Int, _ b: Int) -> Bool { Causality.compare(events[a].vc, events[b].vc) == .concurrent }

    /// "e3 → e7" and why, in terms of the clocks.
    public func relation(_ a: Int, _ b: Int, arrow: String = "→", parallel: String = "∥") -> String {
        let ea = events[a], eb = events[b]
        let va = formatVC(ea.vc), vb = formatVC(eb.vc)
        switch Causality.compare(ea.vc, eb.vc) {
        case .equal:
            return "\(id(a)) is \(id(b))"
        case .before:
            return "\(id(a)) \(arrow) \(id(b)): VC \(va) ≤ \(vb) in every entry, so \(id(a)) happened before \(id(b)) (and L \(ea.lamport) < \(eb.lamport))."
        case .after:
            return "\(id(b)) \(arrow) \(id(a)): VC \(vb) ≤ \(va) in every entry, so \(id(b)) happened before \(id(a)) (and L \(eb.lamport) < \(ea.lamport))."
        case .concurrent:
            let i = zip(ea.vc, eb.vc).enumerated().first { $0.element.0 > $0.element.1 }!.offset
            let j = zip(ea.vc, eb.vc).enumerated().first { $0.element.0 < $0.element.1 }!.offset
            return "\(id(a)) \(parallel) \(id(b)): \(va) vs \(vb): \(id(a)) is ahead in \(nodeName(i)), \(id(b)) in \(nodeName(j)); neither saw the other. Lamport says \(ea.lamport) vs \(eb.lamport), which cannot tell."
        }
    }
}
