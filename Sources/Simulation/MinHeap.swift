/// What a `MinHeap` orders: `precedes` is a strict order. Elements that tie come out in no
/// particular order, so a user that needs a fixed one breaks ties itself (the event queue by
/// sequence number).
public protocol HeapOrdered: Sendable {
    static func precedes(_ a: Self, _ b: Self) -> Bool
}

/// A 4-ary min-heap, written out rather than taken from a generic collection: it is the inner
/// loop of every simulation (the event queue's keys) and of a service's agenda, and here the
/// comparison is a plain inlined function on a concrete type, never a call through a protocol
/// witness. Four children per node halve the depth of a binary heap.
///
/// Inlinable, so a pattern's agenda is specialised in its own module as the event queue is in
/// this one. (The resilience agenda in swift-collections' min-max `Heap` spent 4 % of the
/// resilience benchmark going down and up its levels.)
public struct MinHeap<Element: HeapOrdered>: Sendable {
    /// In heap order.
    public var elements: [Element] = []

    @inlinable public init() {}

    @inlinable public var count: Int { elements.count }
    @inlinable public var isEmpty: Bool { elements.isEmpty }
    @inlinable public var min: Element? { elements.first }

    @inlinable @inline(__always)
    public mutating func insert(_ e: Element) {
        elements.append(e)
        var child = elements.count - 1
        elements.withUnsafeMutableBufferPointer { k in
            while child > 0 {
                let parent = (child - 1) / 4
                guard Element.precedes(e, k[parent]) else { break }
                k[child] = k[parent]
                child = parent
            }
            k[child] = e
        }
    }

    /// Only when not empty. (Inlined, with `insert`: called from several places, the optimiser
    /// left it a call, and 101-node Raft, whose queue is only this heap, lost 3 %.)
    @inlinable @inline(__always)
    public mutating func popMin() -> Element {
        let top = elements[0]
        let last = elements.removeLast()
        if !elements.isEmpty { elements.withUnsafeMutableBufferPointer { Self.siftDown(last, from: 0, in: $0) } }
        return top
    }

    /// Empties it, keeping its storage.
    @inlinable public mutating func removeAll() { elements.removeAll(keepingCapacity: true) }

    /// Moves `e` down from `hole` to where it belongs below it.
    @inlinable @inline(__always)
    static func siftDown(_ e: Element, from start: Int, in k: UnsafeMutableBufferPointer<Element>) {
        let n = k.count
        var hole = start
        while true {
            let first = 4 * hole + 1
            guard first < n else { break }
            var child = first
            for c in (first + 1)..<Swift.min(first + 4, n) where Element.precedes(k[c], k[child]) { child = c }
            guard Element.precedes(k[child], e) else { break }
            k[hole] = k[child]
            hole = child
        }
        k[hole] = e
    }
}

/// The event queue's heap.
typealias KeyHeap = MinHeap<EventKey>
