/// A 4-ary min-heap of event keys, written out rather than taken from a generic collection: it
/// is the inner loop of every simulation, and here the comparison is a plain inlined function on
/// a concrete type, never a call through a protocol witness. Four children per node halve the
/// depth of a binary heap.
struct KeyHeap: Sendable {
    /// In heap order.
    var keys: [EventKey] = []

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }
    var min: EventKey? { keys.first }

    @inline(__always)
    mutating func insert(_ key: EventKey) {
        keys.append(key)
        var child = keys.count - 1
        keys.withUnsafeMutableBufferPointer { k in
            while child > 0 {
                let parent = (child - 1) / 4
                guard EventKey.precedes(key, k[parent]) else { break }
                k[child] = k[parent]
                child = parent
            }
            k[child] = key
        }
    }

    /// Only when not empty. (Inlined, with `insert`: called from several places, the optimiser
    /// left it a call, and 101-node Raft, whose queue is only this heap, lost 3 %.)
    @inline(__always)
    mutating func popMin() -> EventKey {
        let top = keys[0]
        let last = keys.removeLast()
        if !keys.isEmpty { keys.withUnsafeMutableBufferPointer { Self.siftDown(last, from: 0, in: $0) } }
        return top
    }

    /// Moves `key` down from `hole` to where it belongs below it.
    @inline(__always)
    private static func siftDown(_ key: EventKey, from start: Int, in k: UnsafeMutableBufferPointer<EventKey>) {
        let n = k.count
        var hole = start
        while true {
            let first = 4 * hole + 1
            guard first < n else { break }
            var child = first
            for c in (first + 1)..<Swift.min(first + 4, n) where EventKey.precedes(k[c], k[child]) { child = c }
            guard EventKey.precedes(k[child], key) else { break }
            k[hole] = k[child]
            hole = child
        }
        k[hole] = key
    }
}
