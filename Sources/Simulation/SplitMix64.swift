/// The one source of randomness in a run. SplitMix64 is tiny, fast and has a fixed, documented
/// output sequence, so a seed means the same thing on every machine and every Swift version
/// (the standard library's `random(in:using:)` algorithms carry no such promise).
public struct SplitMix64: Sendable, Equatable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw in `0..<bound` without modulo bias (Lemire's multiply-and-reject).
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "next(below:) needs a positive bound")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// A uniform draw in `range` (both ends included).
    public mutating func next(in range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1
        if span == 0 { return Int64(bitPattern: next()) }   // the whole Int64 range
        return range.lowerBound &+ Int64(bitPattern: next(below: span))
    }

    /// True with probability `ppm` parts per million.
    public mutating func chance(ppm: Int) -> Bool {
        if ppm <= 0 { return false }
        if ppm >= 1_000_000 { return true }
        return next(below: 1_000_000) < UInt64(ppm)
    }

    /// A uniform double in [0, 1) built from the top 53 bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }
}
