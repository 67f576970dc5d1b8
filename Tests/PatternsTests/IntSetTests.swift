import Testing
import Simulation
@testable import Patterns

/// The resilience pattern's set of applied requests against the standard library's `Set`: the
/// same answers through random insertions and removals, growth included, and the pattern's own
/// use (a window of the last entries, the oldest forgotten at each insertion).
@Suite struct IntSetTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func agreesWithSetUnderRandomOperations(seed: UInt64) {
        var mine = IntSet(), theirs = Set<Int>()
        var r = SplitMix64(seed: seed)
        // A narrow range, so keys collide, probe runs are long and removals shift them back.
        for _ in 0..<40_000 {
            let x = Int(r.next(below: 3_000)) << (seed == 3 ? 32 : 0)
            switch r.next(below: 3) {
            case 0: #expect(mine.insert(x) == theirs.insert(x).inserted)
            case 1: mine.remove(x); theirs.remove(x)
            default: #expect(mine.contains(x) == theirs.contains(x))
            }
        }
        #expect(mine.count == theirs.count && theirs.count > 100)
        for x in 0..<3_000 { #expect(mine.contains(x << (seed == 3 ? 32 : 0)) == theirs.contains(x << (seed == 3 ? 32 : 0))) }
    }

    @Test func aWindowThatForgetsItsOldest() {
        func request(_ n: Int) -> Int { 1 << 32 | n }
        var mine = IntSet(), order: [Int] = []
        for n in 0..<20_000 {
            mine.insert(request(n)); order.append(request(n))
            if order.count > 1_000 { mine.remove(order.removeFirst()) }
        }
        // The last thousand, 19,000 to 19,999, and nothing before them.
        #expect(mine.count == 1_000)
        #expect(!mine.contains(request(18_999)) && mine.contains(request(19_000)) && mine.contains(request(19_999)))
        #expect((0..<20_000).filter { mine.contains(request($0)) } == Array(19_000..<20_000))
    }
}
