/// 1,024 unsorted buckets of event keys and a bitmap of which hold any: one ring of the event
/// queue's calendar. Which bucket a key goes to is the queue's business.
struct TimeWheel: Sendable {
    static let bits: SimTime = 10
    static let size = 1 << Int(bits)
    static let mask = SimTime(size - 1)
    private(set) var buckets: [[EventKey]] = Array(repeating: [], count: size)
    private var occupied = [UInt64](repeating: 0, count: size / 64)
    private(set) var count = 0

    @inline(__always)
    mutating func add(_ key: EventKey, at i: Int) {
        buckets[i].append(key)
        occupied[i >> 6] |= 1 << UInt64(i & 63)
        count += 1
    }

    /// Swaps bucket `i` with `keys`, which must be empty (so the bucket keeps its capacity).
    mutating func take(_ i: Int, into keys: inout [EventKey]) {
        swap(&keys, &buckets[i])
        occupied[i >> 6] &= ~(1 << UInt64(i & 63))
        count -= keys.count
    }

    /// Every key, and the wheel empty (its buckets keep their capacity).
    mutating func drain(into keys: inout [EventKey]) {
        for w in occupied.indices where occupied[w] != 0 {
            for b in 0..<64 where occupied[w] & (1 << UInt64(b)) != 0 {
                keys += buckets[w << 6 + b]
                buckets[w << 6 + b].removeAll(keepingCapacity: true)
            }
            occupied[w] = 0
        }
        count = 0
    }

    /// The first occupied bucket at `start` or after it, wrapping around past the last: how far
    /// after `start` it is (0 ..< size). Only when `count > 0`.
    func distanceToOccupied(from start: Int) -> Int {
        let words = occupied.count
        for step in 0...words {
            let w = (start >> 6 + step) % words
            var bits = occupied[w]
            if step == 0 { bits &= ~0 << UInt64(start & 63) }
            if step == words { bits &= ~(~0 << UInt64(start & 63)) }
            if bits != 0 { return (w << 6 + bits.trailingZeroBitCount - start) & (Self.size - 1) }
        }
        preconditionFailure("distanceToOccupied on an empty wheel")
    }
}
