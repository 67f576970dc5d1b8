import Simulation

/// Every process's events in one global order, numbered e1, e2, … as the diagram shows them,
/// and the happened-before relation read off the vector clocks.
public struct History: Sendable {
    /// Events in their global order, read in place from the processes' own lists: building a
    /// history is a merge of small indices, cheap enough to do every frame.
    public struct Events: RandomAccessCollection, Sendable {
        let lists: [[ClockEvent]]
        let order: [EventRef]
        public var startIndex: Int { 0 }
        public var endIndex: Int { order.count }
        public subscript(k: Int) -> ClockEvent { lists[order[k].process][order[k].index] }
    }

    public let events: Events
    /// positions[process][index - firstIndex[process]] = place in `events`.
    let positions: [[Int]]
    let firstIndex: [Int]
    /// Events let go before the first one kept: event number `dropped + k` is `events[k]`.
    public let dropped: Int

    public init(_ c: Cluster<ClockNode>) {
        // Each process's events are already in stamp order: merge them.
        let lists = c.nodes.map(\.events)
        var heads = Array(repeating: 0, count: lists.count)
        var order: [EventRef] = []
        order.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        var pos = lists.map { Array(repeating: 0, count: $0.count) }
        var nextStamp = lists.map { $0.first?.stamp ?? Int.max }
        while true {
            var best = -1, bestStamp = Int.max
            for p in nextStamp.indices where nextStamp[p] < bestStamp { best = p; bestStamp = nextStamp[p] }
            guard best >= 0 else { break }
            pos[best][heads[best]] = order.count
            order.append(EventRef(process: best, index: heads[best]))
            heads[best] += 1
            nextStamp[best] = heads[best] < lists[best].count ? lists[best][heads[best]].stamp : Int.max
        }
        events = Events(lists: lists, order: order)
        positions = pos
        firstIndex = c.nodes.map(\.firstIndex)
        dropped = firstIndex.reduce(0, +)
    }

    public var count: Int { events.count }
    /// The id of the k-th event kept ("e4001" once 4,000 were let go).
    public func id(_ k: Int) -> String { "e\(dropped + k + 1)" }
    /// The place in `events` of event number `n` (from 0, counting those let go), if it is kept.
    public func rank(ofNumber n: Int) -> Int? { n >= dropped && n - dropped < count ? n - dropped : nil }
    /// Nil for an event that was let go (or never was).
    public func position(of ref: EventRef) -> Int? {
        guard ref.process < positions.count else { return nil }
        let i = ref.index - firstIndex[ref.process]
        return i >= 0 && i < positions[ref.process].count ? positions[ref.process][i] : nil
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
            // Every entry where each is ahead: the explanation a student checks by hand.
            let aAhead = zip(ea.vc, eb.vc).enumerated().filter { $0.element.0 > $0.element.1 }.map { nodeName($0.offset) }
            let bAhead = zip(ea.vc, eb.vc).enumerated().filter { $0.element.0 < $0.element.1 }.map { nodeName($0.offset) }
            func list(_ names: [String]) -> String {
                names.count == 1 ? "\(names[0])'s entry" : names.dropLast().joined(separator: ", ") + " and \(names.last!)'s entries"
            }
            return "\(id(a)) \(parallel) \(id(b)): \(va) vs \(vb): \(id(a)) is ahead in \(list(aAhead)), \(id(b)) in \(list(bAhead)); neither saw the other. Lamport says \(ea.lamport) vs \(eb.lamport), which cannot tell."
        }
    }
}
