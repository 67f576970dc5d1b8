/// When an event happens and which it is: the queue orders these small plain values and
/// nothing else (the events they stand for live in the cluster's own tables).
public struct EventKey: Sendable, Equatable {
    public var time: SimTime
    /// Ties at the same time go in the order events were scheduled, so runs are reproducible.
    public var seq: UInt64
    /// What the key stands for; the cluster decides how to read it.
    public var what: Int

    @inline(__always)
    static func precedes(_ a: EventKey, _ b: EventKey) -> Bool {
        a.time < b.time || (a.time == b.time && a.seq < b.seq)
    }
}

/// A 4-ary min-heap of event keys, written out rather than taken from a generic collection: it
/// is the inner loop of every simulation, and here the comparison is a plain inlined function on
/// a concrete type, never a call through a protocol witness. Four children per node halve the
/// depth of a binary heap, which matters when 100,000 nodes each have a timer queued.
public struct EventQueue: Sendable {
    private var keys: [EventKey] = []

    public init() {}

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
    public var min: EventKey? { keys.first }

    public mutating func insert(_ key: EventKey) {
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

    @discardableResult
    public mutating func popMin() -> EventKey? {
        guard let top = keys.first else { return nil }
        let last = keys.removeLast()
        guard !keys.isEmpty else { return top }
        keys.withUnsafeMutableBufferPointer { k in
            let n = k.count
            var hole = 0
            while true {
                let first = 4 * hole + 1
                guard first < n else { break }
                var child = first
                for c in (first + 1)..<Swift.min(first + 4, n) where EventKey.precedes(k[c], k[child]) { child = c }
                guard EventKey.precedes(k[child], last) else { break }
                k[hole] = k[child]
                hole = child
            }
            k[hole] = last
        }
        return top
    }

    public mutating func removeMin() { popMin() }
}
