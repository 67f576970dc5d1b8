/// A set of non-negative integers (request numbers), for the end of a chain that records every
/// charge it applies. `Set<Int>` hashes with SipHash, built to resist chosen keys; here the
/// keys are the simulator's own counters, and asking, adding and forgetting one a request cost
/// the resilience benchmark 6 % of its instructions. Open addressing with linear probing and a
/// multiplicative hash; a removal shifts the entries after it back, so no tombstones pile up in
/// a set that forgets its oldest entry at every insertion once full.
struct IntSet: Sendable {
    private static let empty = -1
    /// A power of two, at most three quarters full.
    private var slots = [Int](repeating: IntSet.empty, count: 16)
    private(set) var count = 0

    private var mask: Int { slots.count - 1 }
    @inline(__always) private func home(_ x: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(x)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    func contains(_ x: Int) -> Bool {
        var i = home(x)
        while true {
            let s = slots[i]
            if s == x { return true }
            if s == Self.empty { return false }
            i = (i + 1) & mask
        }
    }

    /// False when it was there already.
    @discardableResult
    mutating func insert(_ x: Int) -> Bool {
        precondition(x >= 0, "IntSet holds non-negative integers")
        if (count + 1) * 4 > slots.count * 3 { grow() }
        var i = home(x)
        while slots[i] != Self.empty {
            if slots[i] == x { return false }
            i = (i + 1) & mask
        }
        slots[i] = x
        count += 1
        return true
    }

    mutating func remove(_ x: Int) {
        var i = home(x)
        while slots[i] != x {
            if slots[i] == Self.empty { return }
            i = (i + 1) & mask
        }
        // Backward shift: an entry after the hole moves into it unless its home lies
        // (cyclically) after the hole and up to where it sits, where a lookup still finds it.
        var hole = i
        var j = (i + 1) & mask
        while slots[j] != Self.empty {
            let h = home(slots[j])
            let stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j)
            if !stays { slots[hole] = slots[j]; hole = j }
            j = (j + 1) & mask
        }
        slots[hole] = Self.empty
        count -= 1
    }

    private mutating func grow() {
        let old = slots
        slots = [Int](repeating: Self.empty, count: old.count * 2)
        count = 0
        for x in old where x != Self.empty { insert(x) }
    }
}
