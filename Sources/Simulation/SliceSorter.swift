/// Sorts the keys of one calendar slice (times `slice << shift` up to the next slice) by time,
/// then by number. The stable library sort was a sixth of a 100,000-node gossip run, mostly
/// allocating and merging for a couple of hundred keys. Here a counting pass places each key in
/// one of 256 sub-slices, which leaves only neighbours out of order, and an insertion pass puts
/// those right: a few cheap, predictable passes over the keys. Where many keys share a
/// sub-slice (every timer at one instant) insertion could take quadratic time, so those slices
/// go to the library sort.
struct SliceSorter: Sendable {
    private var scratch: [EventKey] = []
    private var counts = [Int](repeating: 0, count: Self.bins + 1)
    static let bins = 256
    /// More keys than this in one sub-slice and the library sort does the work.
    static let crowded = 32

    mutating func sort(_ keys: inout [EventKey], slice: SimTime, shift: SimTime) {
        guard keys.count > 1 else { return }
        // A few keys: insertion alone, without clearing and filling 257 counts first.
        if keys.count <= Self.crowded { return Self.insertionSort(&keys) }
        let binShift = Swift.max(0, shift - 8)
        let base = slice &<< shift
        @inline(__always) func bin(_ k: EventKey) -> Int {
            Int(Swift.min(SimTime(Self.bins - 1), Swift.max(0, (k.time &- base) >> binShift)))
        }
        var crowd = 0
        counts.withUnsafeMutableBufferPointer { c in
            for i in c.indices { c[i] = 0 }
            for k in keys { let b = bin(k) + 1; c[b] += 1; crowd = Swift.max(crowd, c[b]) }
            for i in 1..<c.count { c[i] += c[i - 1] }
        }
        guard crowd <= Self.crowded else { keys.sort(by: EventKey.precedes); return }
        if scratch.count < keys.count { scratch = keys }
        scratch.withUnsafeMutableBufferPointer { out in
            counts.withUnsafeMutableBufferPointer { c in
                for k in keys { let b = bin(k); out[c[b]] = k; c[b] += 1 }
            }
        }
        keys.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeBufferPointer { s in Self.insert(into: a, from: s) }
        }
    }

    static func insertionSort(_ keys: inout [EventKey]) {
        keys.withUnsafeMutableBufferPointer { a in Self.insert(into: a, from: UnsafeBufferPointer(a)) }
    }

    /// The insertion pass: `a` gets the first `a.count` keys of `s` in order, each taken from
    /// `s` and moved back past the larger ones already placed. `s` may be `a` itself (key `i`
    /// is read before anything is written at `i` or beyond).
    @inline(__always)
    private static func insert(into a: UnsafeMutableBufferPointer<EventKey>, from s: UnsafeBufferPointer<EventKey>) {
        for i in a.indices {
            let k = s[i]
            var j = i
            while j > 0 && EventKey.precedes(k, a[j - 1]) { a[j] = a[j - 1]; j -= 1 }
            a[j] = k
        }
    }
}
