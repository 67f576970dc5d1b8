import Testing
@testable import Patterns
@testable import Simulation

/// `Few` keeps its first element inline and the rest in an array; whatever is done to it, it
/// must hold what an `Array` given the same edits holds.
@Suite struct FewTests {
    @Test func randomEditsLeaveTheSameElementsAsAnArray() {
        for seed in UInt64(1)...50 {
            var rng = SplitMix64(seed: seed)
            var few = Few<Int>()
            var array: [Int] = []
            for step in 0..<60 {
                let n = array.count
                switch rng.next(below: 6) {
                case 0, 1: few.append(step); array.append(step)
                case 2 where n > 0:
                    let i = Int(rng.next(below: UInt64(n)))
                    few[i] = -step; array[i] = -step
                case 3 where n > 0:
                    let i = Int(rng.next(below: UInt64(n)))
                    few.remove(at: i); array.remove(at: i)
                case 4:
                    let i = Int(rng.next(below: UInt64(n + 1)))
                    few.insert(step, at: i); array.insert(step, at: i)
                case 5 where rng.next(below: 8) == 0:
                    few.removeAll(); array.removeAll()
                default: break
                }
                #expect(Array(few) == array, "seed \(seed) step \(step)")
                #expect(few.indices.map { i in few.read(i) { $0 } } == array, "read, seed \(seed) step \(step)")
                #expect(few.count == array.count && few.isEmpty == array.isEmpty && few.first == array.first)
            }
        }
    }

    @Test func equalityIsByElements() {
        var a = Few<String>(), b: Few<String> = ["x"]
        #expect(a != b)
        a.append("x")
        #expect(a == b)
        b.append("y")
        #expect(a != b)
        b.removeLast()
        #expect(a == b)
    }
}
