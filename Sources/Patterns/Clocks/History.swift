import Simulation

/// Every process's events in one global order, numbered e1, e2, … as the diagram shows them,
/// and the happened-before relation read off the vector clocks.
public struct History: Sendable {
    public let events: [ClockEvent]
    /// positions[process][local index] = place in `events`.
    let positions: [[Int]]

    public init(_ c: Cluster<ClockNode>) {
        // Each process's events are already in stamp order: merge them (cheaper than sorting,
        // and the diagram does this every frame).
        let lists = c.nodes.map(\.events)
        var heads = Array(repeating: 0, count: lists.count)
        var merged: [ClockEvent] = []
        merged.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        var pos = lists.map { Array(repeating: 0, count: $0.count) }
        while true {
            var best = -1
            for p in lists.indices where heads[p] < lists[p].count {
                if best < 0 || lists[p][heads[p]].stamp < lists[best][heads[best]].stamp { best = p }
            }
            guard best >= 0 else { break }
            pos[best][heads[best]] = merged.count
            merged.append(lists[best][heads[best]])
            heads[best] += 1
        }
        events = merged
        positions = pos
    }

    public var count: Int { events.count }
    public func id(_ k: Int) -> String { "e\(k + 1)" }
    public func position(of ref: EventRef) -> Int? {
        ref.process < positions.count && ref.index < positions[ref.process].count ? positions[ref.process][ref.index] : nil
    }

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
